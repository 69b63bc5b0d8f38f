# Silta: `make demo` and `make test` are the two commands a fresh machine needs.
# Everything they depend on is installed here, never by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOFTHSM := $(VENV)/.softhsm
NGINX   := $(VENV)/.nginx
CHROMIUM := $(VENV)/.chromium
AXE_VERSION := 4.14.1
AXE    := $(VENV)/axe/.installed-$(AXE_VERSION)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: demo test lint typecheck test-sqlite test-postgres translations translations-update clean bench bench-full-login bench-memory

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# SoftHSM2 holds the virtual ID cards of card_mock (one PKCS#11 token per card), in the demo
# and in the tests. Debian's package; installed only where it is missing.
$(SOFTHSM):
	@command -v softhsm2-util >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq softhsm2; }
	@mkdir -p $(VENV) && touch $@

# The browser journeys (tests/browser/) drive Debian's Chromium through Playwright with
# executable_path; `playwright install` is never run. Installed only where /usr/bin/chromium
# (or a Japanese font, for the Japanese journeys' screenshots) is missing.
$(CHROMIUM):
	@{ [ -x /usr/bin/chromium ] && fc-list :lang=ja 2>/dev/null | grep -q . ; } || { \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium fonts-ipafont-gothic; }
	@mkdir -p $(VENV) && touch $@

# axe-core, the accessibility engine the journeys inject into every page: pinned, from the npm
# registry, into the venv folder (tests/browser/conftest.py reads it there; no run-time fetch).
$(AXE):
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	@mkdir -p $(VENV)/axe
	npm install --silent --no-audit --no-fund --no-save --prefix $(VENV)/axe axe-core@$(AXE_VERSION)
	@touch $@

# nginx is the load balancer in front of two broker nodes in tests/cluster/ (round robin, no
# sticky sessions). Debian's package; installed only where missing. The tests run the binary with
# a generated config in a temporary folder, so the package's own service is kept from starting:
# a policy-rc.d answering 101 ("action forbidden") is put in place for the install when the
# machine has none (container images usually have one already), and removed after.
$(NGINX):
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { \
		made=""; [ -e /usr/sbin/policy-rc.d ] || { made=1; \
			printf '#!/bin/sh\nexit 101\n' | $(SUDO) tee /usr/sbin/policy-rc.d >/dev/null; \
			$(SUDO) chmod +x /usr/sbin/policy-rc.d; }; \
		$(SUDO) apt-get update -qq && \
			$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; \
		status=$$?; [ -z "$$made" ] || $(SUDO) rm -f /usr/sbin/policy-rc.d; exit $$status; }
	@mkdir -p $(VENV) && touch $@

# Every application's gettext catalogue (silta_common's texts are in each of them).
CATALOGUES := idp bank_mock card_mock/issuer card_mock/reader relying_parties
KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2

translations: $(STAMP)
	@for app in $(CATALOGUES); do \
		$(BIN)/pybabel compile --use-fuzzy -d $$app/translations >/dev/null || exit 1; \
	done

# After adding or changing a UI string: re-extract, merge into fi and ja, then translate the
# new entries by hand (tests/unit/test_translations.py fails until none is empty or fuzzy).
translations-update: $(STAMP)
	@version="$$($(BIN)/python -c 'import importlib.metadata as m; print(m.version("silta"))')"; \
	for app in $(CATALOGUES); do \
		$(BIN)/pybabel --quiet extract -F babel.cfg $(KEYWORDS) -o $$app/translations/messages.pot \
			--project=Silta --copyright-holder="Silta contributors" --version="$$version" \
			$$app silta_common || exit 1; \
		for locale in fi ja; do \
			$(BIN)/pybabel --quiet update -i $$app/translations/messages.pot -d $$app/translations \
				-l $$locale --ignore-obsolete || exit 1; \
		done; \
	done

demo: $(STAMP) $(SOFTHSM) translations
	$(BIN)/silta demo

lint: $(STAMP) typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy over every package; each package's error count may only fall (pyproject.toml,
# [tool.silta.typecheck]; tests/support/typecheck.py).
typecheck: $(STAMP)
	$(BIN)/python -m tests.support.typecheck

test: lint translations test-sqlite test-postgres

test-sqlite: $(STAMP) $(SOFTHSM) $(NGINX) $(CHROMIUM) $(AXE) translations
	@echo "== test suite on embedded SQLite =="
	$(BIN)/pytest --cov --cov-report=term -m "not cluster"  # tests/cluster run in the PostgreSQL pass

# PostgreSQL run: mandatory under CI, skipped loudly elsewhere when no server answers. The
# suite makes a database of its own on that server and drops it after (tests/conftest.py), so
# two runs side by side never wipe each other.
test-postgres: $(STAMP) $(SOFTHSM) $(NGINX) $(CHROMIUM) $(AXE) translations
	@if $(BIN)/python -m tests.support.pg_database "$(PG_URL)"; then \
		echo "== test suite on PostgreSQL ($(PG_URL)) =="; \
		SILTA_TEST_DATABASE_URL="$(PG_URL)" $(BIN)/pytest -p no:cacheprovider -q; \
	elif [ "$$CI" = "true" ]; then \
		echo "ERROR: PostgreSQL at $(PG_URL) does not answer, and CI requires the PostgreSQL run." >&2; \
		exit 1; \
	else \
		echo ""; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!! SKIPPED: the PostgreSQL run. No server answers at $(PG_URL)."; \
		echo "!!! Only the SQLite run was done. CI (CI=true) makes this run mandatory."; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

# The SSO round-trip benchmark, side by side with node-oidc-provider and a minimal Authlib
# provider on one core (../shared/bench), once per serving stack (about 12 minutes);
# STACKS=serve-bjoern CONFIGS="node subject" runs one stack with node beside it.
bench: $(STAMP) translations
	bash benchmarks/run.sh

# A full first login through a mock bank: logins/s per core, p50/p99 (about 2 minutes).
bench-full-login: $(STAMP) translations
	$(BIN)/python -m benchmarks.full_login

# RSS of a worker at rest and after 100,000 SSO round trips (TOTAL=...; about 12 minutes).
bench-memory: $(STAMP) translations
	bash benchmarks/memory.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage htmlcov
