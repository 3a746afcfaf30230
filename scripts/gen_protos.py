"""Generate the Python protobuf modules the node needs, at set-up time.

Sources:
  * CometBFT's ABCI ``.proto`` files from the pinned module in the Go module cache
    (``$GOMODCACHE/github.com/cometbft/cometbft@<version>/proto``) and gogoproto's
    ``gogo.proto`` from the module CometBFT's go.mod pins;
  * the project's own ``proto/samen/v1/*.proto``.

Output: ``abci_app/_generated`` (git-ignored).  Usage:
    python scripts/gen_protos.py <cometbft-version>
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "abci_app" / "_generated"
COMET_FILES = [
    "gogoproto/gogo.proto",
    "tendermint/crypto/proof.proto",
    "tendermint/crypto/keys.proto",
    "tendermint/types/params.proto",
    "tendermint/types/validator.proto",
    "tendermint/abci/types.proto",
]


def go_env(name: str) -> str:
    return subprocess.run(["go", "env", name], check=True, capture_output=True, text=True).stdout.strip()


def module_dir(modcache: Path, module: str, version: str) -> Path:
    path = modcache / f"{module}@{version}"
    if not path.is_dir():
        subprocess.run(["go", "mod", "download", f"{module}@{version}"], check=True)
    return path


def gogoproto_version(comet_dir: Path) -> str:
    match = re.search(r"github.com/cosmos/gogoproto (v\S+)", (comet_dir / "go.mod").read_text())
    if not match:
        raise SystemExit("cannot find the gogoproto version in CometBFT's go.mod")
    return match.group(1)


def stage_sources(comet_version: str, stage: Path) -> None:
    """Copy the needed .proto files into one include root (writable copies)."""
    modcache = Path(go_env("GOMODCACHE"))
    comet = module_dir(modcache, "github.com/cometbft/cometbft", comet_version)
    gogo = module_dir(modcache, "github.com/cosmos/gogoproto", gogoproto_version(comet))
    for rel in COMET_FILES:
        src = (gogo if rel.startswith("gogoproto/") else comet / "proto") / rel
        dst = stage / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(src.read_bytes())
    for src in (ROOT / "proto").rglob("*.proto"):
        dst = stage / src.relative_to(ROOT / "proto")
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(src.read_bytes())


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: gen_protos.py <cometbft-version>")
    stage = ROOT / "build" / "proto"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    stage_sources(sys.argv[1], stage)
    tmp = OUT.with_name("_generated.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    files = [str(p.relative_to(stage)) for p in sorted(stage.rglob("*.proto"))]
    from grpc_tools import protoc

    code = protoc.main(["protoc", f"-I{stage}", f"-I{Path(protoc.__file__).parent / '_proto'}",
                        f"--python_out={tmp}", f"--pyi_out={tmp}", *files])
    if code != 0:
        raise SystemExit(f"protoc failed with exit code {code}")
    for d in [tmp, *[p for p in tmp.rglob("*") if p.is_dir()]]:
        (d / "__init__.py").touch()
    (tmp / "VERSION").write_text(sys.argv[1] + "\n")
    shutil.rmtree(OUT, ignore_errors=True)
    tmp.rename(OUT)
    print(f"generated {len(files)} proto files into {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
