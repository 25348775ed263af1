# Kindred — the two commands a newcomer needs are `make demo` and `make test` (`make test-fast` skips the slow tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_PASSIONS ?= I love live jazz, board games and long hikes
JUPYTER_ARGS ?=

.PHONY: demo test test-fast lint format install install-dev notebook notebook-strip bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# setuptools prints a notice on every editable install of a project whose data/ folder is mapped
# into a package (pyproject.toml); it is informational only, so the install stays quiet.
QUIET_EDITABLE := PYTHONWARNINGS="ignore:Editable installation"

install: $(BIN)/python
	$(QUIET_EDITABLE) $(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(QUIET_EDITABLE) $(BIN)/pip install --quiet -e '.[dev]'

# The digest part runs in demo/ on its own database, "as of" a week the snapshot has events in.
DEMO_WEEK_START ?= 2025-11-17T09:00:00-05:00
DEMO_DB := sqlite:///demo/kindred-demo.db
DEMO_ENV = KINDRED_NOW=$(DEMO_WEEK_START) KINDRED_SECRET=demo-only-not-a-secret KINDRED_BASE_URL=http://127.0.0.1:8080

demo: install
	$(BIN)/kindred query "$(DEMO_PASSIONS)" --limit 8
	@rm -rf demo && mkdir -p demo
	@$(BIN)/kindred --db $(DEMO_DB) import data/toronto_festivals_events.jsonld > /dev/null
	@$(DEMO_ENV) $(BIN)/kindred --db $(DEMO_DB) users add demo@example.org --passions "$(DEMO_PASSIONS)" \
		--timezone America/Toronto --friend "Sam: pottery and printmaking"
	$(DEMO_ENV) $(BIN)/kindred --db $(DEMO_DB) digest --outbox demo/outbox
	@echo "The weekly email is in demo/outbox/ (open the .eml in a mail client)."

# Tests run on every core (pytest-xdist); a single file in the edit loop: .venv/bin/pytest tests/test_x.py
test: install-dev
	@bash .ci/system-packages
	$(BIN)/python -m pytest -n auto

# The quick loop: everything but the tests marked slow (end to end, notebook, benchmark, browser,
# console-script runs that take seconds). `make test` still runs them all.
test-fast: install-dev
	$(BIN)/python -m pytest -n auto -m "not slow"

# Jupyter comes from the `notebook` extra, installed into the project venv only by this target.
# Extra options go in JUPYTER_ARGS, e.g. make notebook JUPYTER_ARGS="--no-browser --port 8890".
notebook: $(BIN)/python
	$(QUIET_EDITABLE) $(BIN)/pip install --quiet -e '.[notebook]'
	$(BIN)/jupyter lab $(JUPYTER_ARGS) notebooks/explore.ipynb

# Run before committing a notebook: outputs stay out of git, so diffs show only the source.
notebook-strip: install-dev
	$(BIN)/python notebooks/strip_outputs.py notebooks/*.ipynb

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Times the real commands beside their peers (rank_bm25, bm25s from benchmarks/requirements.txt): whole-process
# kindred query, index build and memory at 100k/1M, query latency, kindred digest at 10k x 100k and the calendar
# feed against the preferences page on kindred serve; writes benchmarks/RESULTS.md. Sizes: BENCH_ARGS="--sizes
# 100000 --digest 2000x100000" (the full run takes about half an hour on 2 shared cores).
bench: install-dev
	$(BIN)/pip install --quiet -r benchmarks/requirements.txt
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info demo
