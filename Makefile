# `make book` builds the HTML book; `make test` runs every test.
# Each target sets itself up on a fresh machine: the virtual environment
# from requirements.txt (when missing or out of date) and the book's own
# JavaScript (MathJax, pinned in package-lock.json) with `npm ci`.
PYTHON ?= python3
NPM ?= npm
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MATHJAX := node_modules/mathjax/es5/tex-chtml.js
OFFLINE := _build/offline
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider
NBVAL := env -u MPLBACKEND $(PYTEST) --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: book test unit nbval html browser notebooks assets clean

# One BLAS thread: small least-squares solves and matrix products in the
# notebooks are several times slower on two busy cores with more, and one
# thread makes timings (and the last bits of results) steadier.
export OPENBLAS_NUM_THREADS ?= 1

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

$(MATHJAX): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --ignore-scripts
	touch $(MATHJAX)

# The part of MathJax the pages use (TeX in, CommonHTML out, the menu, the
# accessibility extensions and their on-demand pieces), staged where
# _config.yml's html_extra_path makes Sphinx copy it to _build/html/vendor/.
assets: $(MATHJAX)
	rm -rf $(OFFLINE)
	mkdir -p $(OFFLINE)/vendor/mathjax/output
	cd node_modules/mathjax/es5 && cp -R tex-chtml.js input ui a11y sre adaptors \
	    $(CURDIR)/$(OFFLINE)/vendor/mathjax/
	cp -R node_modules/mathjax/es5/output/chtml node_modules/mathjax/es5/output/chtml.js \
	    $(OFFLINE)/vendor/mathjax/output/
	cp node_modules/mathjax/LICENSE $(OFFLINE)/vendor/mathjax/

book: $(STAMP) assets
	$(BIN)/jupyter-book build . -W --keep-going

# Unit tests (everything under tests/ but the built-HTML checks).
unit: $(STAMP)
	$(PYTEST) tests -q --ignore=tests/test_book_html.py

# Every notebook under book/ (chapters and solutions) against its stored outputs
# (MPLBACKEND=Agg in the environment would reach the kernels and drop figures).
nbval: $(STAMP)
	$(NBVAL) -q book

# The browser the HTML checks drive: Debian's chromium, installed with
# apt-get when it is missing (as root, or through sudo).
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	    if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	    echo "installing chromium for the browser checks"; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium \
	    || { echo "could not install chromium: install it (apt-get install chromium) or set CHROMIUM=/path"; exit 1; }; \
	fi

# Checks of the built pages, in a headless Chromium (needs `make book` first).
html: $(STAMP) browser
	LECTURE2_REQUIRE_BOOK=1 LECTURE2_CHROMIUM=$(CHROMIUM) $(PYTEST) -q tests/test_book_html.py

# Everything, in order; every stage runs even when an earlier one fails, and
# the exit status is non-zero when any failed.
test: $(STAMP)
	@status=0; \
	$(MAKE) --no-print-directory unit || status=1; \
	$(MAKE) --no-print-directory nbval || status=1; \
	$(MAKE) --no-print-directory book || status=1; \
	$(MAKE) --no-print-directory html || status=1; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED (see above)"; else echo "make test: all passed"; fi; \
	exit $$status

# Regenerate the stored outputs of every notebook (then commit them).
notebooks: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py book

clean:
	rm -rf _build
