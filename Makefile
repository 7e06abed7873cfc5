# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := compass.settings
# Without DEBUG=1 the settings are production's and refuse to start without a SECRET_KEY:
# these development commands (run, demo, test, e2e, messages ...) run with DEBUG=1 unless the
# environment says otherwise.
export DEBUG ?= 1

.PHONY: run test e2e lint format messages translations demo install browser clean bench bench-scripts css

# Stamp files make re-runs fast: they are rebuilt only when their inputs change.
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Only the NL Design System CSS the templates use, in one minified file (scripts/build-css.mjs,
# docs/performance.md): rebuilt whenever a template, Python or JavaScript file, our CSS or an npm
# package changes. Built here, not committed; collectstatic picks it up from build/static/.
CSS_SOURCES := $(shell find compass cms questionnaire exports -path '*/migrations' -prune -o \
  \( -name '*.html' -o -name '*.py' -o -name '*.js' -o -name '*.css' \) -print 2>/dev/null)
build/static/nlds/nlds.css: scripts/build-css.mjs node_modules/.installed $(CSS_SOURCES)
	node scripts/build-css.mjs

css: build/static/nlds/nlds.css

install: $(VENV)/.installed node_modules/.installed build/static/nlds/nlds.css

# The browser tests drive Debian's Chromium, never a browser downloaded by Playwright.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null \
	    || ! ldconfig -p | grep -q libharfbuzz-subset; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends \
	      chromium poppler-utils fonts-liberation2 gettext libharfbuzz-subset0 >/dev/null; \
	  else \
	    echo "Install Chromium first: sudo apt-get install chromium poppler-utils fonts-liberation2 libharfbuzz-subset0"; exit 1; \
	  fi; \
	fi

messages: install
	$(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules -v0

demo: install messages
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) setup_demo

# The server and a background worker (PDFs, e-mail: docs/tasks.md) in one command; Ctrl-C
# stops both (the worker finishes the task it is running first).
run: demo
	@$(MANAGE) db_worker --queue-name '*' & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

test: install messages browser
	$(BIN)/pytest

e2e: install messages browser
	$(BIN)/pytest -m e2e tests/e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the .po files from the source; fill in every new Dutch msgstr before committing.
translations: install
	$(MANAGE) makemessages -l nl -l en --no-obsolete --ignore=$(VENV) --ignore=node_modules --ignore=staticfiles --ignore=benchmarks --ignore=tests
	$(MANAGE) check_translations

# The national benchmark (docs: benchmarks/README.md): gunicorn, production settings,
# PostgreSQL (BENCH_DATABASE_URL, else a PostgreSQL DATABASE_URL, else bench_kompas on
# 127.0.0.1; dropped and created), seed_national, every key page at 1 and 20 connections ->
# benchmarks/results.md; then benchmarks/lighthouse.py against the same server when it exists.
bench: install messages
	DEBUG=0 $(PY) benchmarks/national.py

# Every older timing script (benchmarks/bench_*.py), each with its own throwaway database.
bench-scripts: install messages
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles
