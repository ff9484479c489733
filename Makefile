# Lantern: the two commands a new user needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python 3.12 or newer: take the first one found.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$(ls -d /root/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
ASSETS := src/lantern/core/static/lantern/lantern.css

.PHONY: help demo test test-sqlite bench bench-load lint format assets clean

help:
	@echo "make demo   install, migrate, load the fictional borough, print sign-ins, serve on :8000"
	@echo "make test   install test dependencies and run the whole suite"
	@echo "make bench  run the benchmarks, writing figures to bench/results/"
	@echo "make lint   ruff check and format check"

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(ASSETS): node_modules/.package-lock.json $(wildcard frontend/*)
	npm run --silent build

assets: $(ASSETS)

# DEMO_ARGS=--no-serve loads and exits (CI does this, then serves it with production settings).
demo: $(STAMP) $(ASSETS)
	$(BIN)/lantern collectstatic --noinput --verbosity 0
	$(BIN)/lantern demo $(DEMO_ARGS)

# The suite runs on SQLite and, when a server answers, on PostgreSQL side by side; see
# tests/run_suite.sh for which tests run on which engine. `make test-sqlite` runs all on SQLite.
test: $(TEST_STAMP) $(ASSETS)
	$(BIN)/ruff check .
	tests/run_suite.sh

test-sqlite: $(TEST_STAMP) $(ASSETS)
	LANTERN_ENV=test $(BIN)/pytest -q --durations=0 --durations-min=10

bench: $(TEST_STAMP) $(ASSETS)
	LANTERN_ENV=test $(BIN)/python -m bench

# Load on gunicorn and PostgreSQL (issue 22): DATABASE_URL must name a throwaway database.
bench-load: $(TEST_STAMP) $(ASSETS)
	nice $(BIN)/python -m bench.load --seconds 30 --levels 5,20,50

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules staticfiles src/lantern/core/static/lantern
