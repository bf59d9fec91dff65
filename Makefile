# Every install step lives here, so a clean clone (and CI) needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
DEMO_ENV := DEBUG=1 SECRET_KEY="$$(cat .demo-secret-key)" SITE_DOMAIN=127.0.0.1:$(PORT)

.PHONY: demo test lint messages browser-deps test-browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Compiled translations are build output: made from locale/*/django.po.
messages: $(STAMP)
	$(BIN)/django-admin compilemessages --ignore=.venv --ignore=node_modules > /dev/null

.demo-secret-key:
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

demo: $(STAMP) messages .demo-secret-key
	$(DEMO_ENV) $(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) load_demo --site-url http://127.0.0.1:$(PORT)/
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(STAMP) messages
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache
