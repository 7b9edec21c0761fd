# The project's verbs. `make book` and `make test` are the README's two commands.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
INSTALLED := $(VENV)/.installed
JB_FLAGS := -W -n --keep-going
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))

.PHONY: help install book html test unit nbval validate execute student clean

help:
	@echo "make book      build the book (HTML in _build/html)"
	@echo "make test      run every test: unit tests, nbval, a full -W build"
	@echo "make validate  check every data table against the descriptor and the article"
	@echo "make execute   re-execute the chapter notebooks and store their outputs"
	@echo "make student   the student edition: _build/student/notebooks and _build/student/html"
	@echo "make clean     remove _build"

# A fresh venv with the pinned requirements; redone when they change.
$(INSTALLED): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip check
	touch $@

install: $(INSTALLED)

book: html

html: $(INSTALLED)
	$(PY) -m bentre validate
	$(PY) -m bentre cache-guard
	$(BIN)/jupyter-book build . $(JB_FLAGS)

validate: $(INSTALLED)
	$(PY) -m bentre validate

# Stored outputs are what nbval compares against; regenerate them after a change.
execute: $(INSTALLED)
	$(PY) -m bentre execute $(NOTEBOOKS)

# The student edition (bentre/student.py): notebooks without solutions, HTML with them hidden.
student: $(INSTALLED)
	$(PY) -m bentre student

PYTEST := $(BIN)/pytest -p no:cacheprovider --nbval-sanitize-with tests/nbval_sanitize.cfg

# Everything, in one pytest run so the closing line counts every test: the data, a full
# build with warnings as errors (which the book tests read), unit tests, and nbval (strict)
# re-running every chapter against its stored outputs.
test: $(INSTALLED)
	$(PY) -m bentre validate
	$(PY) -m bentre cache-guard
	$(BIN)/jupyter-book build . --all $(JB_FLAGS)
	$(PYTEST) tests chapters --nbval

unit: $(INSTALLED)
	$(PYTEST) tests

nbval: $(INSTALLED)
	$(PYTEST) chapters --nbval

clean:
	rm -rf _build
