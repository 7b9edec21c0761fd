# The project's verbs. `make book` and `make test` are the README's two commands.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
INSTALLED := $(VENV)/.installed
JB_FLAGS := -W -n --keep-going
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))
# Reproducible dates: Sphinx's "today" and the PDF's creation date come from the last commit,
# not the clock, so two builds of one commit are the same.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export FORCE_SOURCE_DATE := 1

.PHONY: help install book html pdf catalogs tex browser test unit nbval validate execute student lab kit assign grade bench clean

help:
	@echo "make book      build the book, both editions: the PDFs, then the HTML that offers them"
	@echo "               (English: _build/html, _build/latex/ben-tre-2020.pdf; Vietnamese:"
	@echo "               _build/vi/html, _build/vi/latex/ben-tre-2020.pdf)"
	@echo "make pdf       build the PDFs alone (make pdf-en, make pdf-vi: one edition; TeX Live: see README)"
	@echo "make html      build the HTML alone (make html-en, make html-vi: one edition)"
	@echo "make catalogs  bring the translation catalogs up to date with the English sources"
	@echo "make test      run every test: unit tests, nbval, full -W builds of the PDF and the HTML"
	@echo "make validate  check every data table against the descriptor and the article"
	@echo "make execute   re-execute the chapter notebooks and store their outputs"
	@echo "make student   the student edition: _build/student/{notebooks,html}, in Vietnamese"
	@echo "               _build/vi/student/{notebooks,html}"
	@echo "make lab       JupyterLab on 127.0.0.1 for the chapters (EDITION=student: the student"
	@echo "               notebooks; LAB_PORT=8888); Ctrl-C stops it"
	@echo "make kit       the classroom kit, one archive to install offline: _build/kit/bentre-classroom-kit.zip"
	@echo "make assign    the assessed exercises as an nbgrader course; notebooks to hand out in"
	@echo "               _build/grading/release/<chapter>/"
	@echo "make grade SUBMISSIONS=FOLDER   grade collected work (FOLDER/<student>/<chapter>/*.ipynb):"
	@echo "               _build/grading/grades.csv and feedback/<student>/<chapter>/*.html"
	@echo "make bench     time builds and checks on a copy of the project (_build/bench.json)"
	@echo "make clean     remove _build"

# A fresh venv with the pinned requirements; redone when they change.
$(INSTALLED): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip check
	$(PY) -m ipykernel install --sys-prefix --name bentre --display-name "Python 3 (bentre)"
	$(BIN)/jupyter server extension disable --sys-prefix $(NBGRADER_SERVER) notebook >/dev/null
	$(BIN)/jupyter labextension disable --level=sys_prefix $(NBGRADER_LAB) >/dev/null
	touch $@

# nbgrader (make assign, make grade) is used from the command line: its server and JupyterLab
# extensions, and those of Notebook 7 that it requires, stay off so that make lab is unchanged.
NBGRADER_SERVER := $(addprefix nbgrader.server_extensions.,formgrader validate_assignment \
	assignment_list course_list)
NBGRADER_LAB := @jupyter/nbgrader @jupyter-notebook/lab-extension

install: $(INSTALLED)

# The book's editions: English (_build/) and Vietnamese (_build/vi/), from the same sources.
# Each executes the notebooks in its own language (BENTRE_LANG) into its own cache.
LANGS := en vi
BUILD := $(PY) -m bentre.book.build
edition = $(if $(filter en,$(1)),_build,_build/$(1))

# Both editions, both formats. The PDF first: the HTML build copies it beside the pages.
book:
	@$(MAKE) --no-print-directory pdf
	@$(MAKE) --no-print-directory html

html: $(addprefix html-,$(LANGS))
pdf: $(addprefix pdf-,$(LANGS))

# Nothing to do when no source changed since the edition's last successful build: a hash of
# every source (`html-current`, 0.1 s) instead of a validation (2 s) and Sphinx's own look
# (3 s of imports before it finds no page out of date). Notebooks the edition's execution
# cache lacks run first, one per core (fill-cache): Sphinx would run them serially.
html-%: $(INSTALLED)
	@$(BUILD) --lang $* html-current \
	  && echo "$(call edition,$*)/html is up to date: no source changed since it was built" \
	  || $(MAKE) --no-print-directory html-always-$*

html-always-%:
	$(PY) -m bentre validate
	$(BUILD) --lang $* cache-guard
	$(BUILD) --lang $* fill-cache
	$(BUILD) --lang $* sphinx html
	$(BUILD) --lang $* html-built

# The PDF editions: jupyter-book's LaTeX builder (XeLaTeX, latexmk), then a check of the LaTeX
# log (a glyph missing from the fonts is only a log line: here it fails the build) and a copy
# into the edition's HTML if it is there.
pdf-%: $(INSTALLED) tex
	@$(BUILD) --lang $* pdf-current \
	  && echo "$(call edition,$*)/latex/ben-tre-2020.pdf is up to date: no source changed since it was built" \
	  || $(MAKE) --no-print-directory pdf-always-$*

pdf-always-%: tex
	$(PY) -m bentre validate
	$(BUILD) --lang $* cache-guard
	$(BUILD) --lang $* fill-cache
	$(BUILD) --lang $* sphinx pdflatex
	$(PY) -m bentre.book.pdf --lang $* check
	$(BUILD) --lang $* pdf-built
	$(PY) -m bentre.book.pdf --lang $* publish

# The translations. `make catalogs` brings every catalog up to date with the English sources:
# the prose's (Sphinx's gettext builder, then sphinx-intl: locale/vi/LC_MESSAGES/**.po) and
# the package's (Babel: bentre/locale/vi/LC_MESSAGES/bentre.po, compiled to bentre.mo). New
# text arrives untranslated and changed text fuzzy, which the tests refuse until translated.
catalogs: $(INSTALLED)
	$(BUILD) sphinx gettext
	$(BIN)/sphinx-intl update --pot-dir _build/gettext --locale-dir locale --language vi --line-width 0
	$(PY) -m bentre.book.catalogs prune-prose
	$(PY) -m bentre.book.catalogs update

# TeX Live and poppler (pdftotext & co. for the tests), from Debian, without recommends (the
# LaTeX run reads nothing from them). Looked for cheaply; if anything is missing,
# scripts/ensure-debian-packages installs the list as root with apt-get, or stops and
# prints the exact command.
TEX_PACKAGES := texlive-xetex latexmk texlive-fonts-recommended texlive-latex-extra \
	fonts-freefont-otf poppler-utils
TEX_COMMANDS := xelatex latexmk kpsewhich pdftotext pdfinfo pdfimages pdftoppm
TEX_FILES := FreeSerif.otf FreeSans.otf FreeMono.otf pzdr.tfm fncychap.sty tabulary.sty \
	changepage.sty ucharclasses.sty latinmodern-math.otf

tex:
	@missing="$$(for c in $(TEX_COMMANDS); do command -v $$c >/dev/null || echo $$c; done; \
	  if command -v kpsewhich >/dev/null; then \
	    for f in $(TEX_FILES); do [ -n "$$(kpsewhich $$f)" ] || echo $$f; done; fi)"; \
	if [ -n "$$missing" ]; then \
	  echo "PDF toolchain: missing" $$missing; \
	  scripts/ensure-debian-packages $(TEX_PACKAGES); \
	fi

validate: $(INSTALLED)
	$(PY) -m bentre validate

# Stored outputs are what nbval compares against; regenerate them after a change.
execute: $(INSTALLED)
	$(PY) -m bentre execute $(NOTEBOOKS)

# The student edition (bentre/book/student.py), in each language: notebooks without solutions,
# HTML with them hidden (_build/student/, _build/vi/student/).
student: $(INSTALLED)
	$(PY) -m bentre student --lang en
	$(PY) -m bentre student --lang vi

# JupyterLab on 127.0.0.1 in the project's environment and kernel (bentre/book/lab.py): the
# chapters, or with EDITION=student the student notebooks (written first if missing). Prints
# the address with its token; Ctrl-C stops it. Its own state goes to _build/lab/.
# LAB_PORT=N asks for one port; without it, 8888 or the next free one. LAB_LANG=vi: the
# Vietnamese student notebooks, kernels in Vietnamese.
EDITION ?= book

lab: $(INSTALLED)
	$(PY) -m bentre.book.lab --edition $(EDITION) $(if $(LAB_PORT),--port $(LAB_PORT)) \
	  $(if $(LAB_LANG),--lang $(LAB_LANG))

# The classroom kit (bentre/book/kit.py): one zip with the student edition (notebooks, HTML),
# data/, the bentre wheel, requirements-runtime.txt and a wheelhouse of exactly that set for
# Linux x86_64 / CPython 3.11, and a README for the teacher. Wheels are downloaded once into
# _build/kit/wheelhouse (later only a changed pin); the student edition is remade only when
# a source changed. Stops if requirements-runtime.txt is stale (python -m bentre.book.kit
# requirements rewrites it) or if any solution would enter the archive.
kit: $(INSTALLED)
	$(PY) -m bentre.book.kit build

# The assessed exercises, graded with nbgrader offline on this machine (bentre/book/grade.py,
# the variants in bentre/book/assessed.py). `make assign` writes the course under
# _build/grading/ (nbgrader_config.py, source/) and releases one notebook per chapter, without
# solutions or hidden tests, into _build/grading/release/<chapter>/. `make grade
# SUBMISSIONS=FOLDER` copies the collected work (FOLDER/<student>/<chapter>/*.ipynb) into
# submitted/, then nbgrader autograde, export (_build/grading/grades.csv) and
# generate_feedback (_build/grading/feedback/<student>/<chapter>/*.html).
assign: $(INSTALLED)
	$(PY) -m bentre.book.grade assign

grade: $(INSTALLED)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=FOLDER (FOLDER/<student>/<chapter>/*.ipynb)"; exit 2; }
	@test -f _build/grading/nbgrader_config.py || $(PY) -m bentre.book.grade assign
	$(PY) -m bentre.book.grade grade "$(SUBMISSIONS)"

# Two workers (pytest-xdist), each test module and each notebook kept on one of them.
PYTEST := $(BIN)/pytest -p no:cacheprovider --nbval-sanitize-with tests/nbval_sanitize.cfg \
	-n 2 --dist loadscope

# Everything, in one pytest run so the closing line counts every test: the data and the
# catalogs, both editions in both formats built with warnings as errors (which the book, PDF,
# browser and translation tests read), unit tests, and nbval (strict) re-running every chapter
# against its stored outputs. Built as `make book` builds them: an edition's HTML or PDF that
# was built with warnings as errors from exactly the sources there are now (its stamp: `make
# book` just ran) is not built twice. BENTRE_REQUIRE_PDF and BENTRE_REQUIRE_BOOK turn the PDF
# and HTML tests' "not built" skips into failures, BENTRE_REQUIRE_LAB those of the lab's
# (tests/test_lab.py: JupyterLab, the kernel bentre, Chromium), BENTRE_REQUIRE_KIT the kit's.
test: $(INSTALLED) tex browser
	$(PY) -m bentre validate
	$(PY) -m bentre.book.catalogs compile
	@$(MAKE) --no-print-directory pdf
	@$(MAKE) --no-print-directory html
	$(PY) -m bentre.book.kit build
	BENTRE_REQUIRE_PDF=1 BENTRE_REQUIRE_BOOK=1 BENTRE_REQUIRE_LAB=1 BENTRE_REQUIRE_KIT=1 $(PYTEST) tests chapters --nbval

# Debian's Chromium for tests/test_browser.py (Playwright cannot download its own browser
# here): installed with apt-get when missing and running as root, else the exact command.
# And axe-core for tests/test_accessibility.py: the release pinned in package.json and
# package-lock.json, from the npm registry into node_modules/ (redone when they change);
# the tests inject it into each page, offline.
BROWSER_PACKAGES := chromium fonts-dejavu-core
AXE := node_modules/axe-core/axe.min.js

browser: $(AXE)
	@scripts/ensure-debian-packages $(BROWSER_PACKAGES)

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Seconds for each way of building and checking the book, measured on a copy of the project
# (scripts/bench.py): printed as a table and written to _build/bench.json.
bench: $(INSTALLED) tex
	$(PY) scripts/bench.py

unit: $(INSTALLED)
	$(PYTEST) tests

nbval: $(INSTALLED)
	$(PYTEST) chapters --nbval

clean:
	rm -rf _build
