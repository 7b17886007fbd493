# Two commands set everything up on a fresh machine:
#   make run    create .venv, install, run the baseline scenario, print results, write figures
#   make test   the same set-up, then lint and the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out

.PHONY: setup system-deps run test lint bench diagram clean

setup: $(STAMP) system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Graphviz renders the SVG/PNG diagrams. Installed where we can (root with apt-get);
# elsewhere the Mermaid and DOT outputs still work and the message says what to install.
system-deps:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing graphviz (apt-get)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null) \
	      || echo "warning: could not install graphviz: run 'apt-get install graphviz'"; \
	  else \
	    echo "note: graphviz is missing; install it (e.g. 'sudo apt-get install graphviz') for SVG/PNG diagrams"; \
	  fi; }

run: setup
	$(BIN)/disputesim check > /dev/null
	$(BIN)/disputesim run scenarios/baseline.toml
	$(BIN)/disputesim diagram --format svg -o $(OUT)/machine.svg
	$(BIN)/disputesim diagram --format png -o $(OUT)/machine.png
	@echo "figures written to $(OUT)/"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup lint
	$(BIN)/python -m pytest -n 2

bench: $(STAMP)
	$(BIN)/python benchmarks/trigger_cost.py
	$(BIN)/python benchmarks/throughput.py --orders 100000

diagram: setup
	$(BIN)/disputesim diagram --format mermaid -o docs/machine.mmd
	$(BIN)/disputesim diagram --format svg -o docs/machine.svg

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache .hypothesis
