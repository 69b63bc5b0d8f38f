# Silta: `make demo` and `make test` are the two commands a fresh machine needs.
# Everything they depend on is installed here, never by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: demo test lint test-sqlite test-postgres translations clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d idp/translations >/dev/null

demo: $(STAMP) translations
	$(BIN)/silta

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint translations test-sqlite test-postgres

test-sqlite: $(STAMP) translations
	@echo "== test suite on embedded SQLite =="
	$(BIN)/pytest --cov --cov-report=term

# PostgreSQL run: mandatory under CI, skipped loudly elsewhere when no server answers.
test-postgres: $(STAMP) translations
	@if $(BIN)/python -m tests.support.pg_available "$(PG_URL)"; then \
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

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage htmlcov
