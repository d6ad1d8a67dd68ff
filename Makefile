PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: catalogs install demo web-demo test test-repeat lint typecheck unit run sync migrate bench bench-quick clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m bot demo

# The demo, then the web companion for its server on http://127.0.0.1:8080 (Ctrl-C stops it).
web-demo: $(STAMP)
	$(BIN)/python -m emulator.web_demo

run: $(STAMP)
	$(BIN)/python -m bot run

sync: $(STAMP)
	$(BIN)/python -m bot sync

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# With BOT_TEST_DATABASE_URL set, the store, service and end-to-end tests run on PostgreSQL too.
unit: $(STAMP)
	@test -n "$$BOT_TEST_DATABASE_URL" || echo "NOTE: BOT_TEST_DATABASE_URL is unset: the PostgreSQL half is SKIPPED (.ci/run sets it)"
	$(BIN)/pytest -q -n 2 --durations=15
	@test -n "$$BOT_TEST_DATABASE_URL" || echo "NOTE: the PostgreSQL half was SKIPPED: export BOT_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test"

test: lint typecheck unit bench-quick

# The whole suite N times in a row (default 10): the suite must never flake.
N ?= 10
test-repeat: $(STAMP)
	@for i in $$(seq 1 $(N)); do \
		start=$$(date +%s); \
		$(BIN)/pytest -q -n 2 > .test-repeat.log 2>&1 || { tail -40 .test-repeat.log; echo "run $$i failed"; exit 1; }; \
		echo "run $$i: $$(tail -1 .test-repeat.log) in $$(( $$(date +%s) - start )) s"; \
	done

# Every benchmark at full size; a failing script is reported and the others still run.
bench: $(STAMP)
	@failed=""; for script in benchmarks/[!_]*.py; do \
		echo "== $$script"; $(BIN)/python $$script || failed="$$failed $$script"; \
	done; test -z "$$failed" || { echo "failed:$$failed"; exit 1; }

# The same scripts at small sizes (same code paths, figures printed, no time asserted), so none rots.
bench-quick: $(STAMP)
	@for script in benchmarks/[!_]*.py; do \
		echo "== $$script --quick"; $(BIN)/python $$script --quick > .bench-quick.log 2>&1 \
			|| { cat .bench-quick.log; echo "$$script --quick failed"; exit 1; }; \
		tail -3 .bench-quick.log; \
	done

# Refresh the catalogs: `commands` from the command tree, `messages` extracted from bot/ by Babel
# (every shipped messages.po; `make catalogs INIT=de` starts de's). New strings arrive empty,
# changed ones fuzzy; tests/i18n fails until they are translated.
catalogs: $(STAMP)
	$(BIN)/python -m tools.i18n_catalogs
	$(BIN)/python -m tools.i18n_messages $(if $(INIT),--init $(INIT))

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
