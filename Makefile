# Two entry points a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint benchmark previews clean hub

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

previews: $(STAMP)
	$(BIN)/scorecard previews --out docs/previews

clean:
	rm -rf $(VENV) out build *.egg-info hub-data
