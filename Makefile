# Health Passport: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV := DJANGO_DEBUG=1
PYTEST_ARGS ?=

.PHONY: run serve code test test-fast test-sqlite test-postgres lint messages bench bench-pages bench-load bench-national syscheck syscheck-test clean

$(VENV)/bin/python:
	$(PYTHON) bin/syscheck --python-only
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.run-installed

$(VENV)/.bench-installed: pyproject.toml $(VENV)/.test-installed
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

syscheck:
	$(PYTHON) bin/syscheck

syscheck-test:
	$(PYTHON) bin/syscheck --tests

run: syscheck $(VENV)/.run-installed
	$(PY) -m passport.project.localsecrets
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py createcachetable
	$(DEV) $(PY) manage.py apply_erasure_ledger
	$(DEV) $(PY) manage.py derived --refresh --stale
	$(DEV) $(PY) manage.py load_demo
	@echo "Starting on http://127.0.0.1:8000 (Ctrl+C to stop)"
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

# The current second-factor code of a demo professional: make code USER=nurse
code: $(VENV)/.run-installed
	@test "$(origin USER)" = "command line" || { echo "Say whose code: make code USER=nurse"; exit 2; }
	@$(DEV) $(PY) manage.py demo_code $(USER)

# Every test, on SQLite and again on a real PostgreSQL that bin/with-postgres starts and stops.
# Production settings under gunicorn: PostgreSQL from DATABASE_URL, static files through
# WhiteNoise, /healthz and /readyz (README, "Serving it").
serve: syscheck $(VENV)/.run-installed
	bin/serve

test: syscheck-test $(VENV)/.test-installed lint test-sqlite test-postgres

# Domain and page tests only (no browser, no other process, no PostgreSQL): a quick check.
test-fast: $(VENV)/.test-installed
	$(PY) -m pytest -n 2 -m "not browser and not one_database and not processes" \
		--ignore=tests/browser --ignore=tests/faults --ignore=tests/api/test_schemathesis.py $(PYTEST_ARGS)

test-sqlite: $(VENV)/.test-installed
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

test-postgres: $(VENV)/.test-installed
	bin/with-postgres $(PY) -m pytest -n 2 -m "not browser and not one_database" $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Catalogues for Arabic and Persian (right to left) and Albanian; needs gettext (apt-get install gettext).
messages: $(VENV)/.test-installed
	$(PY) -m passport.project.localsecrets
	$(DEV) $(PY) manage.py makemessages -l ar -l fa -l sq --no-obsolete \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*'
	$(DEV) $(PY) manage.py compilemessages --ignore '.venv/*'

bench-pages: $(VENV)/.test-installed
	$(PY) bench/pages.py

# A region's load on make serve, on a throw-away PostgreSQL (bench/load.py says what it does).
bench-load: $(VENV)/.bench-installed
	bin/with-postgres --durable $(PY) bench/load.py

# The same with 150,000 passports, seeded in bulk (about 30 minutes the first time; kept).
bench-national: $(VENV)/.bench-installed
	BENCH_PASSPORTS=150000 bin/with-postgres --durable $(PY) bench/load.py

bench: $(VENV)/.test-installed
	$(PY) bench/decrypt.py
	$(PY) bench/password_hash.py
	$(PY) bench/booklet.py
	$(PY) bench/caseload.py

clean:
	rm -rf $(VENV) staticfiles
