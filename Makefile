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

.PHONY: book test unit nbval html notebooks assets clean

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

# Checks of the built pages, in a headless Chromium (needs `make book` first).
html: $(STAMP)
	LECTURE2_REQUIRE_BOOK=1 $(PYTEST) -q tests/test_book_html.py

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
