# Two commands on a fresh machine: `make report` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install report test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,notebooks]"
	touch $(STAMP)

install: $(STAMP)

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
	rm -rf $(VENV) .pytest_cache .ruff_cache
