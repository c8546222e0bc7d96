# Two commands do all set-up on a fresh machine:  make demo  and  make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
MODEL  ?= models/bone_muscle.rules

.PHONY: demo test test-corpus typecheck bench bench-quick wheel-smoke clean

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

# the benchmark as a report: benchmarks/REPORT.md (hours on the whole corpus; a few minutes quick)
bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py

bench-quick: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py --quick

# the wheel as a user installs it: a fresh venv outside the checkout runs the shipped demo
wheel-smoke: | $(BIN)/python
	rm -rf dist build/wheel-venv
	$(BIN)/python -m pip wheel . --no-deps -q -w dist
	$(PYTHON) -m venv build/wheel-venv
	build/wheel-venv/bin/python -m pip install -q dist/logicbone-*.whl
	cd /tmp && $(CURDIR)/build/wheel-venv/bin/logicbone demo > /dev/null

clean:
	rm -rf $(VENV) build dist src/*.egg-info
