# Charter — two commands: `make run` (local portal on http://127.0.0.1:8000) and `make test` (every check).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
PYTEST_ARGS ?=

.PHONY: run test install install-test system-deps system-deps-test node-deps messages lint types \
        migrations-check deploy-check i18n-check pytest bench freeze clean

## run: install, migrate, load demo data and serve on http://127.0.0.1:8000 (SQLite, tasks in-process)
run: system-deps install messages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

## test: lint, types, migration check, deploy check, translations, the whole suite on PostgreSQL
test: system-deps-test install node-deps messages lint types migrations-check deploy-check i18n-check pytest

system-deps:
	@scripts/system_deps.sh run

system-deps-test:
	@scripts/system_deps.sh test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements/base.txt requirements/dev.txt requirements/prod.txt requirements/constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/dev.txt -r requirements/prod.txt -c requirements/constraints.txt
	touch $(STAMP)

install: $(STAMP)

# test-only npm packages (the loopback OIDC provider, axe-core): one folder each under tests/support/
node-deps:
	@for lock in tests/support/*/package-lock.json; do d=$$(dirname $$lock); \
	  [ -d $$d/node_modules ] || npm ci --prefix $$d --no-audit --no-fund --silent || exit 1; done

messages: install
	$(MANAGE) compilemessages -v 0 --ignore=.venv --ignore=node_modules --ignore=tests --ignore=var

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install
	$(BIN)/mypy apps config

migrations-check: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

deploy-check: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$(head -c 48 /dev/urandom | base64 | tr -d '\n') \
	  ALLOWED_HOSTS=charter.example.com $(MANAGE) check --deploy --fail-level WARNING

i18n-check: install
	$(BIN)/python scripts/check_translations.py

pytest: install
	eval "$$(scripts/services.sh)" && $(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

## bench: the speed and memory benchmarks in bench/ (results go to docs/performance.md)
bench: system-deps-test install
	eval "$$(scripts/services.sh)" && for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## freeze: regenerate requirements/constraints.txt from the venv
freeze:
	{ echo "# Full pinned set (pip freeze of dev + prod). Regenerate: make freeze"; $(BIN)/pip freeze; } > requirements/constraints.txt

clean:
	rm -rf var/charter.sqlite3 var/charter.sqlite3-wal var/charter.sqlite3-shm var/staticfiles
