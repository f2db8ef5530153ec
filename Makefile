# The two commands: `make demo` and `make test`. Both set up everything they need.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Python 3.12 or newer: the first suitable interpreter on PATH, then pyenv's.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python 2>/dev/null); do \
	if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$c; break; fi; done)
CHROMIUM ?= /usr/bin/chromium
# Test processes (pytest-xdist): one per core by default; 0 runs the suite in this process.
PYTEST_WORKERS ?= auto

.PHONY: demo serve-prod test test-long install lint security-scan typecheck migrations-check pytest browser-deps lock messages bench screenshots clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required (python3.12 not found)." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	tools/timed install $(BIN)/python -m pip install --quiet --upgrade pip
	tools/timed install $(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	tools/timed install $(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

install: $(VENV)/.installed

## make demo: install, migrate, load the demo data, serve on http://127.0.0.1:8000
## (with a background worker for large exports; both stop together)
demo: install
	$(BIN)/sambang migrate --no-input
	SAMBANG_DEMO=1 $(BIN)/sambang demo
	trap 'kill 0' EXIT; SAMBANG_DEMO=1 $(BIN)/sambang db_worker --no-startup-delay & \
		SAMBANG_DEMO=1 $(BIN)/sambang process & \
		SAMBANG_DEMO=1 $(BIN)/sambang runserver 127.0.0.1:8000

## make serve-prod: the production stack (Granian, job worker, PostgreSQL, Redis) on this machine
serve-prod: install
	deploy/serve-prod

## make test: lint, type check, security scan, migrations check, the whole suite (PostgreSQL when DATABASE_URL is set)
test: install browser-deps lint typecheck security-scan migrations-check pytest

## make test-long: the same, with the runs of minutes (10-minute soak load, wider fuzzing)
test-long:
	SAMBANG_LONG_TESTS=1 $(MAKE) test

lint: install
	tools/timed lint $(BIN)/ruff check .
	tools/timed lint $(BIN)/ruff format --check .

typecheck: install
	tools/timed typecheck $(BIN)/mypy sambang

# Code scanning (bandit; settings in pyproject.toml) and the locked dependencies against
# known vulnerabilities (pip-audit; says so when the advisory data cannot be reached).
security-scan: install
	tools/timed security-scan $(BIN)/bandit -c pyproject.toml -q -r sambang -x "*/tests/*,sambang/testing/*"
	tools/timed security-scan $(BIN)/python tools/audit_dependencies.py

migrations-check: install
	DJANGO_SETTINGS_MODULE=sambang.config.settings.test tools/timed migrations-check \
		$(BIN)/sambang makemigrations --check --dry-run

pytest: install
	tools/timed pytest $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium through Playwright (no browser download).
browser-deps:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian's chromium for the browser tests…"; \
			tools/timed browser-deps sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'; \
		else \
			echo "chromium is missing: run 'sudo apt-get install chromium' (browser tests will be skipped)." >&2; \
		fi; \
	fi

## make lock: re-resolve requirements.lock from pyproject.toml (names, versions, hashes only)
lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --generate-hashes \
		--python-version 3.12 --no-emit-index-url --no-emit-find-links -o requirements.lock

## make messages: refresh and compile the Indonesian translations
messages: install
	cd sambang && ../$(BIN)/sambang makemessages -l id --no-obsolete --add-location file --ignore "testing/*" --ignore "*/tests/*"
	cd sambang && ../$(BIN)/sambang compilemessages -l id

## make screenshots: the README's screenshots (each role, phone and desktop) from the demo
screenshots: install browser-deps
	$(BIN)/sambang migrate --no-input
	SAMBANG_DEMO=1 $(BIN)/sambang demo
	trap 'kill 0' EXIT; SAMBANG_DEMO=1 $(BIN)/sambang runserver 127.0.0.1:8765 --noreload & \
		for i in $$(seq 60); do curl -sf http://127.0.0.1:8765/healthz >/dev/null && break; sleep 1; done; \
		$(BIN)/python tools/screenshots.py --url http://127.0.0.1:8765

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache build *.egg-info
