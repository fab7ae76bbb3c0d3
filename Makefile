# Two commands for a newcomer: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
# Where `make run` listens, and the localstripe it starts (the dev settings read STRIPE_PORT too).
HOST ?= 127.0.0.1
PORT ?= 8000
STRIPE_PORT ?= 8420
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
BENCH_MODE ?= short
BENCHES ?=

.PHONY: run test bench setup translations lint format check-deploy ci clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

translations: $(VENV)/.installed
	@DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) compile_translations >/dev/null

setup: $(VENV)/.installed node_modules/.installed translations
	@mkdir -p var

# One line per step; each step's output goes to var/logs/ (scripts/serve.py --prepare).
run: setup
	@DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) scripts/serve.py --prepare \
		--host $(HOST) --port $(PORT) --stripe-port $(STRIPE_PORT)

# DATABASE_URL and REDIS_URL pass through from the environment when they are set.
test: setup
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: setup
	$(PY) -m bench $(BENCHES) --mode $(BENCH_MODE) $(BENCH_FLAGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Production needs its own secrets; the check makes throwaway ones (a random key, a self-signed signing certificate).
check-deploy: setup
	@DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) contract_signing_certificate var/check-deploy-signing.p12 >/dev/null
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')}" \
	CONTRACT_SIGNING_PKCS12="$${CONTRACT_SIGNING_PKCS12:-var/check-deploy-signing.p12}" \
	$(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf var/test.sqlite3
