# Two commands on a fresh machine: `make report` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DOCS_STAMP := $(VENV)/.docs-installed

.PHONY: install report test lint bench docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,notebooks]"
	touch $(STAMP)

install: $(STAMP)

$(DOCS_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $(DOCS_STAMP)

# The documentation site (docs/, mkdocs.yml) built offline into site/; any warning fails the build.
docs: $(DOCS_STAMP)
	$(BIN)/mkdocs build --strict

report: $(STAMP)
	$(BIN)/lawgov-analysis report --corpus data/reports --out reports

lint: $(STAMP)
	$(BIN)/ruff check lawgov_analysis tests benchmarks
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -n 2 -q

# BENCH_SIZES=500,2000 make bench shortens the store benchmark (default 500,2000,10000 reports).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_store.py
	$(BIN)/python benchmarks/bench_tokens.py
	$(BIN)/python benchmarks/bench_metrics.py
	$(BIN)/python benchmarks/bench_panel.py --n 2000

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache site
