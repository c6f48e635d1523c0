# Our Promise. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# What the browser tests need from Debian (poppler-utils: pdftotext reads back a printout), and
# the Redis the two-machine test starts when the machine runs none (tests/test_two_machines.py),
# and espeak-ng and lame, which record the promises for phones with no voice (make audio), and
# libcairo2, which cairosvg loads to draw the install icons from the council's symbol (make icons).
APT_PACKAGES := chromium fonts-noto-core fonts-noto-color-emoji poppler-utils redis-server espeak-ng lame libcairo2

export OUR_PROMISE_ENV ?= development

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Installed from the lock, every package checked against its hash, so the versions tested here
# are the versions a council installs (requirements.lock is the same pins without the tools).
$(VENV)/.installed: pyproject.toml requirements-dev.lock | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# pip-compile asks the package index for each pin's hashes; the lock names no index, so it
# installs the same from PyPI or from a mirror.
LOCK := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

.PHONY: lock
lock: install ## Pin every dependency with its hashes (requirements.lock, requirements-dev.lock)
	$(LOCK) --output-file requirements.lock pyproject.toml
	$(LOCK) --extra dev --output-file requirements-dev.lock pyproject.toml

.PHONY: audit
audit: install ## Check the locked dependencies for known vulnerabilities (ADVISORY_DB: offline)
	$(BIN)/python scripts/audit.py requirements.lock requirements-dev.lock

.PHONY: install
install: $(VENV)/.installed translations-compile ## Make the virtual environment and install the app

.PHONY: db
db: install ## Create or migrate the database (SQLite under instance/ unless DATABASE_URL is set)
	$(BIN)/flask --app app db upgrade

.PHONY: run
run: db static-clean ## Serve the app at http://127.0.0.1:$(PORT)
	$(BIN)/flask --app app run --port $(PORT) --debug

# Production: settings come from the environment (app/config.py, gunicorn.conf.py), and the
# app refuses to start, saying what to set, on any that would quietly hurt.
.PHONY: serve
serve: install audio ## Serve for real: migrate the database, then gunicorn with production settings
	OUR_PROMISE_ENV=production $(BIN)/python -c "import sys, app.config; sys.exit(app.config.main())"
	OUR_PROMISE_ENV=production $(BIN)/flask --app app db upgrade
	OUR_PROMISE_ENV=production exec $(BIN)/gunicorn --config gunicorn.conf.py "app:create_app()"

# Our sheets and scripts are served without their comments and spaces, from build/static/
# (app/lean_static.py): 6.8 of their 20.0 KB, compressed, that no phone needs.
.PHONY: static
static: static-clean install ## Make the lean sheets and scripts, and compress the static files (.br, .gz) as production serves them
	$(BIN)/python -m app.lean_static

# While developing, files change under the server: serve them as they are, never stale.
.PHONY: static-clean
static-clean:
	@find app/static \( -name '*.gz' -o -name '*.br' \) -delete
	@rm -rf build/static

# Recorded, not committed: about 9 MB of MP3 for two councils in seven languages, made in about
# a minute and only for lines not yet recorded (scripts/read_aloud_audio.py).
.PHONY: audio
audio: install system-packages ## Record the promises and stories with espeak-ng (app/static/audio/), for phones with no voice
	$(BIN)/python -m scripts.read_aloud_audio

.PHONY: system-packages
system-packages: ## Install Chromium, fonts and redis-server from Debian when missing
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# A second council's file: the suite must hold for any council, not only Leeds.
SECOND_COUNCIL := tests/councils/second.toml

# The two councils' suites run side by side, each printed whole when it ends: on a slow day on
# this 2-core machine Leeds' alone took 41 minutes, one after the other they came near CI's 90,
# and each leaves a core part idle. Each test makes its own databases, ports and Redis keys,
# and writes no shared file.
# The second council takes its browser tests last, so the two suites' browsers rarely overlap.
.PHONY: test
test: install audio static system-packages lint audit ## Run every test: unit, integration (SQLite and PostgreSQL) and browser, on Leeds and on a second council side by side
	$(MAKE) --no-print-directory --jobs=2 --output-sync=target suite suite-second

.PHONY: suite suite-second
suite:
	OUR_PROMISE_ENV=testing $(BIN)/pytest

# The browser's tests too: the quick exit's site, the offline pages and the keyboard's way
# through the questions are the council's own, and were once Leeds' in the tests.
suite-second:
	COUNCIL_FILE=$(SECOND_COUNCIL) OUR_PROMISE_ENV=testing $(BIN)/pytest -p no:cacheprovider \
		$(wildcard tests/test_*.py) tests/e2e

.PHONY: test-second
test-second: install audio static system-packages ## Run every test, browser too, on tests/councils/second.toml
	$(MAKE) --no-print-directory suite-second

.PHONY: test-fast
test-fast: install ## Run the tests without the browser
	OUR_PROMISE_ENV=testing $(BIN)/pytest --ignore=tests/e2e

.PHONY: lint
lint: install ## ruff and mypy
	$(BIN)/ruff check app tests scripts migrations bench gunicorn.conf.py
	$(BIN)/ruff format --check app tests scripts migrations bench gunicorn.conf.py
	$(BIN)/mypy

.PHONY: format
format: install ## Format the code with ruff
	$(BIN)/ruff format app tests scripts migrations bench gunicorn.conf.py
	$(BIN)/ruff check --fix app tests scripts migrations bench gunicorn.conf.py

.PHONY: vendor
vendor: install ## Fetch htmx, the OpenMoji symbols and the OpenDyslexic font from npm at their pinned versions
	$(BIN)/python scripts/vendor_assets.py

.PHONY: screenshots
screenshots: install system-packages ## Screenshots at 320 px of home, a question, the confirmation and the status page, each age and symbols (docs/screenshots/)
	$(BIN)/python -m scripts.screenshots

.PHONY: icons
icons: install system-packages ## Draw the install icons (PNG) from the councils' symbols (scripts/icons.py)
	$(BIN)/python -m scripts.icons

.PHONY: translations
# No fuzzy matching: its guesses paired unrelated sentences ("Enter your password" with "Send
# your answer") and broke the build where their placeholders differed. A new string stays empty
# for a translator, and the test of the catalogues names it.
# `make translations NEW=xx` starts a catalogue for the language xx first.
translations: install ## Extract the strings to translate, update (or with NEW=xx start) every catalogue, compile
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot app
	@if [ -n "$(NEW)" ]; then $(BIN)/pybabel init -i translations/messages.pot -d translations -l $(NEW); fi
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	  $(BIN)/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations; fi
	$(MAKE) translations-compile

.PHONY: translations-compile
translations-compile: $(VENV)/.installed
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	  $(BIN)/pybabel -q compile -d translations; fi

# Benchmarks (issue 15): each part merges its figures into bench/results.json, then
# docs/benchmarks.md is written from it. wrk is the bench's own Debian package, not the tests'.
BENCH_APT_PACKAGES := wrk
BENCH_RUN := OUR_PROMISE_ENV=testing $(BIN)/python -m

.PHONY: bench
bench: install static system-packages bench-packages bench/node_modules/.installed ## Measure every budget (server, page weight, Lighthouse, growth, send), write bench/results.json and docs/benchmarks.md
	$(BENCH_RUN) bench.server
	$(BENCH_RUN) bench.page_weight
	$(BENCH_RUN) bench.lighthouse
	$(BENCH_RUN) bench.growth
	$(BENCH_RUN) bench.send
	$(BENCH_RUN) bench.cpu
	$(BENCH_RUN) bench.hostile_input
	$(BENCH_RUN) bench.report

.PHONY: bench-packages
bench-packages:
	@missing=""; for p in $(BENCH_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Lighthouse at the version bench/package-lock.json pins, in bench/node_modules (not committed).
bench/node_modules/.installed: bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund --silent
	touch $@

.PHONY: bench-server
bench-server: install static system-packages bench-packages ## Server throughput and latency against bare Flask (wrk, journeys, sends)
	$(BENCH_RUN) bench.server
	$(BENCH_RUN) bench.report

.PHONY: bench-weight
bench-weight: install static system-packages ## First-load bytes of every child page in Chromium
	$(BENCH_RUN) bench.page_weight
	$(BENCH_RUN) bench.report

.PHONY: bench-lighthouse
bench-lighthouse: install static system-packages bench/node_modules/.installed ## Lighthouse scores of the child pages (BENCH_LIGHTHOUSE_PAGES=all for every page)
	$(BENCH_RUN) bench.lighthouse
	$(BENCH_RUN) bench.report

.PHONY: bench-growth
bench-growth: install ## Staff pages at 10k, 50k and 200k contacts on PostgreSQL
	$(BENCH_RUN) bench.growth
	$(BENCH_RUN) bench.report

.PHONY: bench-cpu
bench-cpu: install ## CPU time per request of each page and the send, in process, against bare Flask
	$(BENCH_RUN) bench.cpu
	$(BENCH_RUN) bench.report

.PHONY: bench-send
bench-send: install ## The final send's rule alone, on PostgreSQL
	$(BENCH_RUN) bench.send
	$(BENCH_RUN) bench.report

.PHONY: bench-report
bench-report: install ## Write docs/benchmarks.md from bench/results.json
	$(BENCH_RUN) bench.report

.PHONY: key
key: install ## Print a new key for ENCRYPTION_KEYS (production)
	@$(BIN)/python -c "from app.crypto import new_key; print(new_key())"

.PHONY: clean
clean: ## Remove the virtual environment and caches (keeps instance/)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
