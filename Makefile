# filmgraph: `make run` and `make test` set everything up on a machine with python3, pip, make and git.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.deps-installed
STORE  ?= ./filmgraph-store
SEED   := ../shared/seeds/000_e60a94f7ba5846fc.txt
FG     := $(BIN)/filmgraph --store $(STORE)

.PHONY: run test lint install bench clean eval

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet hatchling
	$(BIN)/pip install --quiet ".[dev]"
	touch $(STAMP)

# Install the package itself (not editable): tests run against what a user gets from a wheel.
install: $(STAMP)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation --force-reinstall .

# The main job on the embedded default store: validate and ingest the bundled reviews (and the seed review
# when ../shared is beside the checkout), show what the graph holds, answer a related-films lookup, export.
run: install
	$(FG) validate data/samples $(wildcard $(SEED))
	$(FG) ingest data/samples $(wildcard $(SEED))
	$(FG) stats
	$(FG) related "The Handmaiden" --top 5
	$(FG) related ballerina-2025 --top 5
	$(FG) export --format turtle -o filmgraph-export.ttl

test: install
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/ingest_reviews.py

# Leave-one-out evaluation of related films on MovieLens joined to IMDb 5000 (needs ../shared/data).
eval: install
	$(BIN)/python bench/eval_related.py

clean:
	rm -rf $(VENV) $(STORE) filmgraph-export.ttl .pytest_cache .mypy_cache .ruff_cache
