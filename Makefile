# The two commands: `make run` (set up everything and start the back office) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The address links in e-mails point at: where `make run` listens (a machine's own address when it listens on all
# of them), unless SITE_URL is set.
SITE_HOST := $(if $(filter 0.0.0.0 ::,$(HOST)),$(or $(firstword $(shell hostname -I 2>/dev/null)),127.0.0.1),$(HOST))
SITE_URL ?= http://$(SITE_HOST):$(PORT)
# pytest-xdist: one test process per core, each with its own test database; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto

.PHONY: run run-prod lock test screenshots install migrate seed lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# requirements*.txt are locked: every package, transitive ones too, pinned with its hashes (`make lock` writes
# them from requirements*.in), and pip refuses anything else.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# After editing requirements.in or requirements-dev.in: lock again (uv keeps every version already locked
# unless the edit needs another; `make lock UPGRADE=--upgrade` takes the newest that fit).
UPGRADE ?=
lock: install
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 $(UPGRADE) \
	  --custom-compile-command "make lock" -o requirements.txt requirements.in
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 $(UPGRADE) \
	  --custom-compile-command "make lock" -o requirements-dev.txt requirements.in requirements-dev.in

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo ""
	@echo "  The back office is starting at $(SITE_URL)/  (Ctrl-C stops web, worker and beat)"
	@echo "  E-mails are written to var/mail/; the admin is at $(SITE_URL)/admin/"
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" HOST=$(HOST) SITE_URL=$(SITE_URL) $(BIN)/honcho start --port $(PORT)

# The production profile (Procfile.prod): gunicorn with several workers, a Celery worker per queue and one beat,
# with DJANGO_ENV=production; PostgreSQL, Redis and the other production variables come from the environment
# (README, "Production profile"). Migrates and collects the static files first.
PROMETHEUS_MULTIPROC_DIR ?= $(CURDIR)/var/prometheus
run-prod: install
	DJANGO_ENV=production $(BIN)/python manage.py migrate --noinput
	DJANGO_ENV=production $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	mkdir -p "$(PROMETHEUS_MULTIPROC_DIR)" && find "$(PROMETHEUS_MULTIPROC_DIR)" -name '*.db' -delete
	@echo ""
	@echo "  The production profile is starting at http://$(HOST):$(PORT)/  (Ctrl-C stops web, workers and beat)"
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" DJANGO_ENV=production HOST=$(HOST) \
	  PROMETHEUS_MULTIPROC_DIR="$(PROMETHEUS_MULTIPROC_DIR)" $(BIN)/honcho start --procfile Procfile.prod --port $(PORT)

test: install
	$(BIN)/python -m pytest --numprocesses $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The browser tests that take the screenshots (the Russian ones of every main page at 1366 and 375 px too),
# writing them into docs/screenshots/ (a plain `make test` keeps them in a temporary folder and changes no
# tracked file).
screenshots: install
	SCREENSHOTS_DIR="$(CURDIR)/docs/screenshots" $(BIN)/python -m pytest tests/browser/test_dashboard.py tests/browser/test_russian_layout.py --no-cov $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Needs GNU gettext (msgfmt); the compiled .mo files are committed so that `make run` does not.
messages: install
	$(BIN)/python manage.py makemessages --locale ru --ignore "$(VENV)/*" --ignore "var/*"
	$(BIN)/python manage.py compilemessages --locale ru --ignore "$(VENV)/*"

clean:
	rm -rf var .pytest_cache .coverage htmlcov
