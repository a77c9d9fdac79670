# The two commands: `make run` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run build test lint typecheck pytest clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

build: install
	$(BIN)/mkg build

run: build
	@echo "Serving the graph at http://$(HOST):$(PORT) (the server says when it is ready; Ctrl+C stops it)"
	$(BIN)/mkg serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check graph api tests benchmarks
	$(BIN)/ruff format --check graph api tests benchmarks

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

test: lint typecheck pytest

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
