# Two entry points a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint benchmark fuzz previews clean hub

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,hub,parquet]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/scorecard demo --out out

test: $(STAMP)
	$(BIN)/pytest -q

# The regional hub on this machine with demo data (SQLite in hub-data/): http://127.0.0.1:8000
# Users lead, northshire, southshire, eastshire, westshire, viewer; password scorecard-demo.
hub: $(STAMP)
	$(BIN)/python -m hub migrate --verbosity 0
	$(BIN)/python -m hub hub_demo
	HUB_DEBUG=$${HUB_DEBUG:-1} $(BIN)/python -m hub runserver $${HUB_ADDRESS:-127.0.0.1:8000}

lint: $(STAMP)
	$(BIN)/ruff check .

benchmark: $(STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

# The long fuzz run of collection (issue 13): 10,000 hostile returns, 20-30 minutes on 2 cores.
fuzz: $(STAMP)
	$(BIN)/python benchmarks/fuzz_returns.py --returns $${RETURNS:-10000}

previews: $(STAMP)
	$(BIN)/scorecard previews --out docs/previews

clean:
	rm -rf $(VENV) out build *.egg-info hub-data
