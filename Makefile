# One-command entry points. `make build` sets up a virtual environment and builds 2020;
# `make test` sets it up and runs the linters, the type check and the tests (what CI runs).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
YEAR ?= 2020

.PHONY: setup build test bench parity clean constraints packed-fonts

# constraints.txt pins every package to the versions tested (reproducible installs); refresh
# it with `make constraints` after changing the dependencies in pyproject.toml.
$(BIN)/bulletin: pyproject.toml setup.py constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip -c constraints.txt
	PIP_CONSTRAINT=constraints.txt $(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/bulletin

# Bytecode written ahead: where PYTHONDONTWRITEBYTECODE is set, every run would recompile.
setup: $(BIN)/bulletin
	$(BIN)/python -m compileall -q generator

build: setup
	$(BIN)/bulletin build $(YEAR)

test: setup
	$(BIN)/ruff check generator tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m tests.bench

# LibreOffice's page count beside the PDF's over generated issues (ARGS="--seed 7 --count 50").
parity: setup
	$(BIN)/python -m tests.parity $(ARGS)

# After a change to fonts/: the Word writer's streams of the built-in fonts (zopfli, ~1 min).
packed-fonts: setup
	$(BIN)/python -m tests.pack_fonts

constraints: setup
	{ grep '^#' constraints.txt; $(BIN)/pip freeze --all --exclude-editable | grep -v '^setuptools=='; \
	  grep '^setuptools==' constraints.txt; } > constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf output $(VENV)
