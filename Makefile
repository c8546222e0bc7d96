# Two commands do all set-up on a fresh machine:  make demo  and  make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
MODEL  ?= models/bone_muscle.rules

.PHONY: demo test test-corpus typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/logicbone demo $(MODEL)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q

test-corpus: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q -m corpus tests

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy src cli

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build src/*.egg-info
