#!/usr/bin/env bash
# Install cometbft and abci-cli at a pinned version into a project tools folder,
# with `go install` from the Go module proxy.  Quick when already installed.
# Usage: install-cometbft.sh <version> <bin-dir>
set -euo pipefail
version="$1"
bindir="$2"
mkdir -p "$bindir"
want="${version#v}"
have=""
if [ -x "$bindir/cometbft" ]; then have="$("$bindir/cometbft" version 2>/dev/null || true)"; fi
if [ "$have" != "$want" ] || [ ! -x "$bindir/abci-cli" ]; then
  command -v go >/dev/null || { echo "install-cometbft: Go is required (https://go.dev/dl/)" >&2; exit 1; }
  echo "installing cometbft $version (go install; first time takes a few minutes)" >&2
  GOBIN="$bindir" GOFLAGS=-buildvcs=false go install "github.com/cometbft/cometbft/cmd/cometbft@$version"
  GOBIN="$bindir" GOFLAGS=-buildvcs=false go install "github.com/cometbft/cometbft/abci/cmd/abci-cli@$version"
fi
got="$("$bindir/cometbft" version)"
if [ "$got" != "$want" ]; then
  echo "install-cometbft: expected cometbft $want, found $got" >&2
  exit 1
fi
echo "cometbft $got ready in $bindir" >&2
