# Every install step lives here, so a clean clone (and CI) needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
DEMO_ENV := DEBUG=1 SECRET_KEY="$$(cat .demo-secret-key)" SITE_DOMAIN=127.0.0.1:$(PORT)

.PHONY: demo test lint messages edge-deps browser-deps test-browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Compiled translations are build output: made from locale/*/django.po (not
# from the packages in bench-results/wagtail-venv, which ship their own).
messages: $(STAMP)
	$(BIN)/django-admin compilemessages --ignore=.venv --ignore=node_modules --ignore=bench-results > /dev/null

.demo-secret-key:
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

demo: $(STAMP) messages .demo-secret-key
	$(DEMO_ENV) $(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) load_demo --site-url http://127.0.0.1:$(PORT)/
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(STAMP) messages
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

# The edge tests (tests/edge) run deploy/varnish.vcl in a real varnishd, with
# the xkey vmod: Debian's packages. Without varnishd they skip, except in CI
# (CI set), where .ci/run installs them first with this.
edge-deps:
	command -v varnishd > /dev/null || (apt-get update && apt-get install -y varnish varnish-modules)

# Browser tests: Debian's Chromium (never a browser downloaded by Playwright)
# and axe-core from npm, in node_modules/ (ignored by git).
browser-deps:
	command -v chromium > /dev/null || (apt-get update && apt-get install -y chromium)
	test -f node_modules/axe-core/axe.min.js || npm install --no-save --no-audit --no-fund axe-core@4

test-browser: $(STAMP) messages browser-deps
	$(BIN)/pytest tests/browser $(PYTEST_ARGS)

# Load and faults: 1,000 comments from 50 concurrent readers against gunicorn,
# on a SQLite file and (with DATABASE_URL=postgres://…) on PostgreSQL; prints
# the counts and writes test-artifacts/load-results.json.
.PHONY: test-load
test-load: $(STAMP) messages
	$(BIN)/pytest tests/load -s $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache

# A generated WordPress export of 10,000 posts and 100,000 comments, imported
# into a fresh test database (DATABASE_URL picks PostgreSQL): time and memory.
bench-import: $(STAMP)
	$(BIN)/python tests/bench/import_bench.py

# Pages at newsroom scale (tests/bench/run.py): builds a large data set (SQLite
# by default; DATABASE_URL=postgres://…/name for the 100,000-article preset,
# emptied first), serves it with gunicorn, loads it with wrk, and measures the
# cached site behind nginx with deploy/nginx.conf and behind Varnish with
# deploy/varnish.vcl, with the time from an admin save to the new page there
# (tests/bench/edge.py; all installed here from Debian's packages if missing;
# without wrk a bounded Python client loads it, without nginx or varnishd
# those steps are skipped), writes bench-results/*.json. The render
# targets are also checked against Wagtail measured here (bench-wagtail, below),
# whose venv it installs; without it, they are checked in milliseconds only.
# BENCH_ARGS=--small for a quick run, --reuse to keep the data of the last run.
.PHONY: bench
bench: $(STAMP) messages
	command -v wrk > /dev/null && command -v nginx > /dev/null && command -v varnishd > /dev/null || \
		(apt-get update -qq && apt-get install -y -qq wrk nginx-light varnish varnish-modules) \
		> /dev/null 2>&1 || true
	-$(MAKE) --no-print-directory $(WAGTAIL_STAMP)
	$(BIN)/python -m tests.bench.run $(BENCH_ARGS)
	$(BIN)/python -m tests.bench.hit_ratio

# The page cache's hit ratio over a simulated busy hour (1,000 articles, Zipf
# readers, a comment approved every 2 s, an edit a minute): cache tags against
# one site-wide version (tests/bench/hit_ratio.py).
.PHONY: bench-hit-ratio
bench-hit-ratio: $(STAMP) messages
	$(BIN)/python -m tests.bench.hit_ratio

# Wagtail measured here as `make bench` measures our article page, to calibrate
# issue 7's targets, set against Wagtail's figures on another machine
# (tests/bench/wagtail/measure.py). In a venv of its own in bench-results/, on a
# SQLite file and, with DATABASE_URL=postgres://…, on that server's database
# notizie_wagtail; prints a line of JSON for each. The data is built when
# missing: WAGTAIL_ARGS=--build builds it anew, --template tutorial measures
# the tutorial's template as written (17 queries, not the issue's 10).
WAGTAIL_VENV := bench-results/wagtail-venv
WAGTAIL_STAMP := $(WAGTAIL_VENV)/.installed
WAGTAIL_MEASURE := $(WAGTAIL_VENV)/bin/python tests/bench/wagtail/measure.py $(WAGTAIL_ARGS)

$(WAGTAIL_STAMP):
	$(PYTHON) -m venv $(WAGTAIL_VENV)
	$(WAGTAIL_VENV)/bin/pip install --quiet --upgrade pip
	$(WAGTAIL_VENV)/bin/pip install --quiet 'wagtail==8.0.*' 'Django==5.2.*' 'psycopg[binary]'
	touch $(WAGTAIL_STAMP)

.PHONY: bench-wagtail
bench-wagtail: $(WAGTAIL_STAMP)
	DATABASE_URL=sqlite:///$(CURDIR)/bench-results/wagtail.sqlite3 $(WAGTAIL_MEASURE)
	case "$$DATABASE_URL" in postgres*) \
		DATABASE_URL="$$(echo "$$DATABASE_URL" | sed -E 's|^([a-z]+://[^/]*).*|\1/notizie_wagtail|')" \
		$(WAGTAIL_MEASURE);; \
	esac
