# Samen: set-up, run, test, benchmarks.  `make run` and `make test` install everything they need.
COMETBFT_VERSION := v0.38.26
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := $(CURDIR)/.tools/bin
export PATH := $(TOOLS):$(PATH)
export SAMEN_COMETBFT := $(TOOLS)/cometbft

COMET_STAMP := .tools/cometbft-$(COMETBFT_VERSION).stamp
VENV_STAMP := $(VENV)/.installed
GEN_STAMP := abci_app/_generated/VERSION

.PHONY: setup check chromium dashboard-screenshots run test soak bench bench-e2e bench-e2e-mix bench-e2e-net bench-profile bench-state bench-graphql bench-adversarial bench-cli bench-disk clean distclean

setup: $(COMET_STAMP) $(VENV_STAMP) $(GEN_STAMP)

$(COMET_STAMP): scripts/install-cometbft.sh
	scripts/install-cometbft.sh $(COMETBFT_VERSION) $(TOOLS)
	@touch $@

$(VENV_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,setup]'
	@touch $@

$(GEN_STAMP): $(COMET_STAMP) $(VENV_STAMP) scripts/gen_protos.py $(wildcard proto/samen/v1/*.proto)
	$(BIN)/python scripts/gen_protos.py $(COMETBFT_VERSION)

run: setup
	$(BIN)/samen devnet

# Debian's chromium for the dashboard tests (Playwright drives it; no browser download).
# Installed only when missing; apt-get needs root.
chromium:
	@if command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "chromium is missing: run 'apt-get update && apt-get install -y chromium' as root" >&2; exit 1; fi

# Run the dashboard tests and copy their 1280 px screenshots to docs/screenshots/ (committed, shown in the README).
dashboard-screenshots: setup chromium
	SAMEN_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/dashboard

# The rules the build checks (docs/architecture.md): import contracts, the type checker on the
# core, no import cycle and an up-to-date dependency graph.  `make test` runs it first.
check: setup
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python scripts/depgraph.py --check

test: setup chromium check
	$(BIN)/python -m pytest -q -p no:cacheprovider --durations=30

soak: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider -m soak -o addopts=""

bench: setup
	$(BIN)/python -m bench.inprocess
	$(BIN)/python -m bench.orgtools

# Live disk per block and per object with and without retention (minutes; BENCHMARKS.md "Disk").
DISK_ARGS ?= --blocks 3000 --retain 100 --objects 1000
bench-disk: setup
	$(BIN)/python -m bench.disk $(DISK_ARGS) --out build/bench-disk.json

# Samen against CometBFT's kvstore, same binary, config and tx size; sweeps timeout_commit; saturation = the best of a closed-loop run and open-loop overload runs.
E2E_ARGS ?= --txs 30000 --timeout-commits 1s,500ms,100ms
bench-e2e: setup
	mkdir -p build
	$(BIN)/python -m bench.e2e $(E2E_ARGS) --out build/bench-e2e.json --write

# The collaboration mix end to end (phased, next to transfers and kvstore at the same sizes), and four validators on loopback.
E2E_MIX_ARGS ?= --cohorts 500 --timeout-commit 100ms
bench-e2e-mix: setup
	mkdir -p build
	$(BIN)/python -m bench.e2e_mix $(E2E_MIX_ARGS) --out build/bench-e2e-mix.json
E2E_NET_ARGS ?= --txs 5000 --timeout-commit 100ms
bench-e2e-net: setup
	mkdir -p build
	$(BIN)/python -m bench.e2e_net $(E2E_NET_ARGS) --out build/bench-e2e-net.json

# Where the app's CPU goes under saturation load (py-spy on a real node; tables into BENCHMARKS.md).
PROFILE_ARGS ?= --txs 10000 --timeout-commit 100ms
bench-profile: setup
	$(BIN)/python -m pip install --quiet 'py-spy>=0.3,<1'
	$(BIN)/python -m bench.profile $(PROFILE_ARGS) --write

# State tree: app-hash cost, block cost, proof size/verification.  STATE_SIZES=10000,100000 for a quick run.
STATE_SIZES ?= 10000,100000,1000000
bench-state: setup
	$(BIN)/python -m bench.state --sizes $(STATE_SIZES)

# GraphQL: three dashboard queries at a large state, next to abci_query (see BENCHMARKS.md).
bench-graphql: setup
	$(BIN)/python -m bench.graphql $(GRAPHQL_ARGS) --out build/bench-graphql.json

# Adversarial: FinalizeBlock of the block where N items fall due in one second, and every message kind's worst case.
ADVERSARIAL_SIZES ?= 1000,10000,100000,1000000
bench-adversarial: setup
	$(BIN)/python -m bench.adversarial --sizes $(ADVERSARIAL_SIZES) --write

# CLI start-up: `samen --help` and `samen query account` as fresh processes (needs a node: make run).
CLI_NODE ?= http://127.0.0.1:26657
bench-cli: setup
	$(BIN)/python bench/cli_start.py --node $(CLI_NODE)

clean:
	rm -rf build .pytest_cache test-output

distclean: clean
	rm -rf $(VENV) .tools abci_app/_generated .devnet
