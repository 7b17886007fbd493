# Two commands set everything up on a fresh machine:
#   make run    create .venv, install, run the baseline scenario, print results, write figures
#   make test   the same set-up, then lint and the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out

.PHONY: setup system-deps run test lint site suite bench docs docs-explore clean

setup: $(STAMP) system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Graphviz renders the SVG/PNG diagrams; Chromium renders the HTML report in a test.
# Installed where we can (root with apt-get); elsewhere the message says what to install.
SYSTEM_PACKAGES := dot:graphviz chromium:chromium

system-deps:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair##*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing (apt-get)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || echo "warning: could not install$$missing: run 'apt-get install$$missing'"; \
	  else \
	    echo "note: missing$$missing: install with 'sudo apt-get install$$missing'"; \
	  fi; \
	fi

run: setup
	$(BIN)/disputesim check > /dev/null
	rm -rf $(OUT)/baseline
	$(BIN)/disputesim run scenarios/baseline.toml --replications 4 --precision 0.05 --max-replications 8 --jobs 2 --quiet --out $(OUT)/baseline
	$(BIN)/disputesim plot $(OUT)/baseline > /dev/null
	$(BIN)/disputesim report $(OUT)/baseline > /dev/null
	$(BIN)/disputesim diagram --format svg -o $(OUT)/machine.svg
	@echo "figures in $(OUT)/baseline/figures/, report in $(OUT)/baseline/report.html"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The documentation site, warnings as errors: a broken link or a stale reference fails.
site: $(STAMP)
	$(BIN)/sphinx-build -q -W --keep-going -b html docs $(OUT)/site

# Lint, the site and the suite run side by side (lint and the site are single-threaded,
# the suite keeps both cores busy); make fails if any of them does. Tests of one module
# share a worker (--dist loadscope): a module's fixture, such as the twelve fitted logs of
# the recovery test, is built once rather than once a worker.
test: setup
	$(MAKE) --no-print-directory -j3 lint site suite

suite: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadscope --durations=15 $(TESTS)

bench: $(STAMP)
	$(BIN)/python benchmarks/trigger_cost.py
	$(BIN)/python benchmarks/throughput.py --orders 100000
	$(BIN)/python benchmarks/throughput.py --orders 100000 --scenario scenarios/study-fraud-heavy-sellers.toml
	$(BIN)/python benchmarks/throughput.py --orders 100000 --scenario scenarios/study-lenient-vs-strict-long-run.toml
	$(BIN)/python benchmarks/workloads.py --year --enforced --studies --sweep
	$(BIN)/python benchmarks/explorer.py --points 10000
	$(BIN)/python benchmarks/fitting.py --events 1000000
	$(BIN)/python benchmarks/verify.py

# Regenerate everything docs/ and the README show: the diagram, the model's parameter
# tables, the pages' printed outputs (from the very commands they show, run in a scratch
# folder) and the tour's figures (from the README's tour commands); then build the site.
docs: setup
	$(BIN)/disputesim diagram --format mermaid -o docs/machine.mmd
	$(BIN)/disputesim diagram --format svg -o docs/machine.svg
	$(BIN)/python -m sim.tooling.modeldoc
	rm -rf $(OUT)/docs
	$(BIN)/python -m sim.tooling.readme --scratch $(OUT)/docs
	for f in outcomes comparison money days_to_money flow team_queue; do \
	  cp $(OUT)/docs/results/tour/figures/$$f.png docs/figures/; done
	cp $(OUT)/docs/results/tour/figures/trace_*.png docs/figures/trace_example.png
	$(MAKE) site
	@echo "docs regenerated, the site in $(OUT)/site/index.html; the process page's mermaid"
	@echo "block: disputesim diagram --format mermaid"

# The exploring figures of the README (scenario discovery, policy search, robustness):
# about 10 minutes on two cores, so apart from `make docs`.
docs-explore: setup
	rm -rf $(OUT)/overload $(OUT)/deadlines $(OUT)/robust
	$(BIN)/disputesim sweep scenarios/sweeps/explore-team-overload.toml --out $(OUT)/overload --jobs 2 --quiet > /dev/null
	$(BIN)/disputesim discover $(OUT)/overload --figure team_mean_wait --above 10
	$(BIN)/disputesim optimise scenarios/searches/optimise-deadlines.toml --out $(OUT)/deadlines --jobs 2 --quiet
	$(BIN)/disputesim optimise scenarios/searches/robust-deadlines.toml --out $(OUT)/robust --robust --jobs 2 --quiet
	cp $(OUT)/overload/figures/discover-team_mean_wait-above-10-trajectory.png docs/figures/discover_trajectory.png
	cp $(OUT)/deadlines/figures/pareto-front.png docs/figures/pareto_front.png
	cp $(OUT)/robust/figures/pareto-robust.png docs/figures/robust.png
	$(BIN)/disputesim explore $(OUT)/overload
	$(BIN)/python -m sim.tooling.screenshot $(OUT)/overload/explorer.html docs/figures/explorer.png

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache .hypothesis
