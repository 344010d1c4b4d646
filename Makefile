# The project's verbs. Each bootstraps .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test check bench lint fmt-check system-deps clean

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
	$(BIN)/mypy pipeline

$(STAMP): pyproject.toml
	@sh .ci/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

system-deps:
	@sh .ci/system-deps.sh

clean:
	rm -rf build $(VENV)
