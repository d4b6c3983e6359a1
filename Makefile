# One-command entry points. `make build` sets up a virtual environment and builds 2020;
# `make test` sets it up and runs the linters and the tests (what CI runs).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
YEAR ?= 2020

.PHONY: setup build test bench clean

$(BIN)/bulletin: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/bulletin

# Bytecode written ahead: where PYTHONDONTWRITEBYTECODE is set, every run would recompile.
setup: $(BIN)/bulletin
	$(BIN)/python -m compileall -q generator

build: setup
	$(BIN)/bulletin build $(YEAR)

test: setup
	$(BIN)/ruff check generator tests
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m tests.bench

clean:
	rm -rf output $(VENV)
