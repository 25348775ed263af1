# Kindred — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_PASSIONS ?= I love live jazz, board games and long hikes
JUPYTER_ARGS ?=

.PHONY: demo test lint format install install-dev notebook notebook-strip bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

demo: install
	$(BIN)/kindred query "$(DEMO_PASSIONS)" --limit 8

test: install-dev
	$(BIN)/python -m pytest

# Jupyter comes from the `notebook` extra, installed into the project venv only by this target.
# Extra options go in JUPYTER_ARGS, e.g. make notebook JUPYTER_ARGS="--no-browser --port 8890".
notebook: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[notebook]'
	$(BIN)/jupyter lab $(JUPYTER_ARGS) notebooks/explore.ipynb

# Run before committing a notebook: outputs stay out of git, so diffs show only the source.
notebook-strip: install-dev
	$(BIN)/python notebooks/strip_outputs.py notebooks/*.ipynb

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
