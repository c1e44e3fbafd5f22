# AHHHA — the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
# pytest-xdist: one worker per core, each with its own test database; tests that share an outside
# resource carry an xdist_group (see tests/conftest.py). `make test XDIST=` runs in one process.
XDIST ?= -n auto --dist loadgroup

.PHONY: install messages demo test lint format bench clean schemathesis screenshots

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
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving AHHHA on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy --config-file payouts/mypy.ini payouts
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

# schemathesis with every check, as anonymous, member and finance, against gunicorn serving the
# database DATABASE_URL names (seeded with the demo when empty). Give it a database of its own.
schemathesis: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py api_fuzz --max-examples $(or $(EXAMPLES),10)

screenshots: messages
	$(BIN)/python bench/screenshots.py

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
