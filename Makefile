# Two commands do all the set-up on a fresh machine: `make book` and `make test`.
# Everything Python goes into .venv at the repository root; Debian tools come from
# scripts/system-deps.sh (installed when run as root, named when missing otherwise).

PYTHON ?= python3
# The one Python version of the project: binder/runtime.txt (Binder), requires-python in
# pyproject.toml and the Binder test's environment say the same (tests/test_binder.py checks).
PYTHON_VERSION := $(shell sed -n 's/^python-//p' binder/runtime.txt)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB     := $(BIN)/jupyter-book
BUILD_FLAGS := -W -n --keep-going

# Reproducible builds: the date on the PDF's title page is the last commit's, not the day of the
# build (Sphinx and TeX read SOURCE_DATE_EPOCH). Outside a git checkout: the build's day. Given to
# the PDF build alone: pip, for one, would write hash-checked .pyc files under it (slower imports).
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
DATED := $(if $(SOURCE_DATE_EPOCH),SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH))

.PHONY: book lite test test-lib pdf bench clean help lock catalogs FORCE

help:
	@echo "make book   build the website into _build/html"
	@echo "make test   build everything and run the whole test suite"
	@echo "make pdf    build the book as a PDF into _build/latex"
	@echo "make bench  print build and speed figures"
	@echo "make lock   write requirements.txt and binder/requirements.txt from pyproject.toml"
	@echo "make catalogs  update the translations' catalogs (locales/*/LC_MESSAGES) from the English"

# The one Python version is checked before the .venv is made (binder/runtime.txt).
# Python packages: pyproject.toml declares the direct dependencies, `make lock` writes the locks
# (requirements.txt, binder/requirements.txt: every package, pinned, with hashes; scripts/lock.sh),
# and the .venv is synced to requirements.txt: it holds exactly the lock, hash-checked (a package
# whose pin was dropped is removed), plus w2vlib itself, editable. --compile-bytecode: the .pyc
# files are written at install, so that a machine with PYTHONDONTWRITEBYTECODE=1 does not compile
# numpy, matplotlib, scipy ... again in every kernel (importing numpy, matplotlib and w2vlib:
# 4.2 s without, 1.9 s with; the clean build of both editions: 92 s without, 50 s with).
# A new .venv starts with current pip and setuptools (--upgrade-deps); uv, at the version and hashes
# of the lock, is installed into it by pip once, and from then on uv keeps itself in step too.
UV := $(BIN)/uv
UV_SYNC := $(UV) pip sync --python $(BIN)/python --require-hashes --no-config \
           --index-url https://pypi.org/simple --quiet --compile-bytecode

$(UV): binder/runtime.txt
	@python=$(PYTHON); if [ -x $(BIN)/python ]; then python=$(BIN)/python; fi; \
	if ! $$python -c 'import sys; sys.exit(sys.version_info[:2] < tuple(map(int, "$(PYTHON_VERSION)".split("."))))' 2>/dev/null; then \
	  echo "make: this book needs Python $(PYTHON_VERSION) or newer (binder/runtime.txt, pyproject.toml), but $$python is $$($$python --version 2>&1 || echo missing)."; \
	  if [ $$python = $(BIN)/python ]; then echo "      Remove the old environment (rm -rf $(VENV)) and run make again."; \
	  else echo "      Install Python $(PYTHON_VERSION) (your distribution's python$(PYTHON_VERSION) and python$(PYTHON_VERSION)-venv, pyenv, or python.org) and run: make book PYTHON=python$(PYTHON_VERSION)"; fi; \
	  exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv --upgrade-deps $(VENV)
	@awk '/^uv==/ {p = 1} p {print} p && !/\\$$/ {exit}' requirements.txt > $(VENV)/uv-lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
	    -r $(VENV)/uv-lock.txt

lock: $(UV)
	scripts/lock.sh $(UV) .

$(STAMP): requirements.txt pyproject.toml binder/postBuild binder/runtime.txt | $(UV)
	$(UV_SYNC) requirements.txt
	$(UV) pip install --python $(BIN)/python --no-config --index-url https://pypi.org/simple \
	    --quiet --no-deps -e .
	@# As on Binder: .md chapters open as notebooks in `.venv/bin/jupyter lab`.
	PATH="$(CURDIR)/$(BIN):$$PATH" binder/postBuild
	@touch $@

# The execution cache keys on notebook code only: when w2vlib changes, drop the cached
# outputs and the parsed pages, so no chapter shows outputs of an older library.
# (The w2vlib folder itself notices a deleted module; $(STAMP), a changed numpy or matplotlib.)
_build/.w2vlib-stamp: $(wildcard w2vlib/*.py) w2vlib $(STAMP)
	rm -rf _build/.jupyter_cache _build/.doctrees _build/jupyter_execute
	@mkdir -p _build && touch $@

# MathJax, RequireJS and the ipywidgets HTML manager, at the versions package-lock.json pins,
# served by the site itself (no CDN): see scripts/vendor-assets.sh.
VENDORED := _site_assets/vendor/versions.json
$(VENDORED): package.json package-lock.json scripts/vendor-assets.sh
	scripts/vendor-assets.sh

# The repository the buttons point at (_ext/repository_url.py: W2V_REPOSITORY_URL, else the git
# remote origin, else the placeholder of _config.yml). Rewritten only when it changes, so that a
# change rebuilds every page.
REPOSITORY := _build/.repository-url
$(REPOSITORY): FORCE
	@mkdir -p _build; url=$$($(PYTHON) _ext/repository_url.py .) || exit 1; \
	if [ "$$(cat $@ 2>/dev/null)" != "$$url" ]; then echo "$$url" > $@; fi

# Files that reach the site without being a page. Sphinx copies them only when some page is
# rebuilt, so when one changed since the last build, rebuild every page (--all). So too for the
# bibliography: sphinxcontrib-bibtex re-reads a changed .bib but leaves the citing pages as they were.
SITE_ASSETS := $(REPOSITORY) references.bib $(VENDORED) _site_assets/js $(wildcard _site_assets/js/*) _static $(wildcard _static/*) $(wildcard _ext/*.py) $(wildcard _ext/*.js)

# W2VLIB_STATIC tells w2vlib.widgets that no kernel will be behind the page: widgets are drawn
# disabled, beside their static fallback and a pointer to Binder.
# Everything a page is made from. With none of it newer than the last good build, `make book` does
# not start Jupyter Book at all (its start-up alone takes ~4 s); the folders notice deleted files.
BOOK_SOURCES := _config.yml _toc.yml references.bib $(wildcard *.md) chapters \
                $(shell find chapters -type f -not -path '*/.ipynb_checkpoints/*' 2>/dev/null) \
                locales $(shell find locales -type f -name '*.po' -o -type f -name config.yml 2>/dev/null) \
                scripts/build-book.py scripts/edition_config.py
# The translations (scripts/edition_config.py): each locales/<code>/ with a config.yml is an edition,
# built beside the English one into _build/<code>/ and published as _build/html/<code>/.
EDITIONS := $(patsubst locales/%/config.yml,%,$(wildcard locales/*/config.yml))
BOOK_STAMP := _build/html/.book-stamp
# `jupyter-book build .`, after executing the notebooks that are not in its cache yet two at a
# time (one per core) into that cache; benchmarks/bench_build.py times this same command.
BOOK_BUILD := $(BIN)/python scripts/build-book.py .

# The live chapters (JupyterLite + Pyodide, served from _build/html/live; see lite/README.md).
# scripts/build-lite.py rebuilds all of it (~10-20 s); skipped when none of its inputs changed.
LITE_STAMP := _build/html/live/.lite-stamp
# The live chapters' sources: the pages _config.yml lists in w2v_live_chapters.
LIVE_PAGES := $(addsuffix .md,$(shell sed -n 's/^ *w2v_live_chapters: *\[\(.*\)\]/\1/p' _config.yml | tr ',' ' '))
LITE_SOURCES := scripts/build-lite.py $(wildcard lite/*.json) lite/wheels.txt _config.yml pyproject.toml \
                w2vlib $(wildcard w2vlib/*.py) $(LIVE_PAGES)
lite: $(LITE_STAMP)

$(LITE_STAMP): $(STAMP) $(VENDORED) $(LITE_SOURCES)
	$(BIN)/python scripts/build-lite.py
	@touch $@

book: $(BOOK_STAMP) $(LITE_STAMP)
	@echo "The site is in _build/html: open file://$(CURDIR)/_build/html/index.html"

$(BOOK_STAMP): $(STAMP) _build/.w2vlib-stamp $(VENDORED) $(BOOK_SOURCES) $(SITE_ASSETS)
	@# The site's Japanese web font is cut from a Debian font (_ext/site_fonts.py).
	scripts/system-deps.sh sitefont
	@all=; if [ ! -e _build/.site-assets-stamp ] || [ -n "$$(find $(SITE_ASSETS) -newer _build/.site-assets-stamp | head -n 1)" ]; then all=--all; fi; \
	echo "W2VLIB_STATIC=1 $(BOOK_BUILD) $(BUILD_FLAGS) $$all"; \
	W2VLIB_STATIC=1 $(BOOK_BUILD) $(BUILD_FLAGS) $$all
	@touch _build/.site-assets-stamp
	@# The site's download menu links book.pdf at its root (each edition's at its own root): bring
	@# the PDFs along when they exist.
	@if [ -f _build/latex/book.pdf ]; then cp _build/latex/book.pdf _build/html/book.pdf; fi
	@for code in $(EDITIONS); do if [ -f _build/$$code/_build/latex/book.pdf ]; then \
	  cp _build/$$code/_build/latex/book.pdf _build/html/$$code/book.pdf; fi; done
	@touch $@

pdf: $(STAMP) _build/.w2vlib-stamp
	scripts/system-deps.sh pdf
	@# latexmk typesets every *.tex in _build/latex: drop any left from an older layout.
	@find _build/latex -maxdepth 1 -name '*.tex' ! -name book.tex -delete 2>/dev/null || true
	$(DATED) W2VLIB_STATIC=1 W2VLIB_LANG=en $(JB) build . --builder pdflatex $(BUILD_FLAGS)
	@# Each translation: its configuration (scripts/edition_config.py), its own build folder and
	@# execution cache (the ones `make book` fills), w2vlib's words in its language.
	@set -e; for code in $(EDITIONS); do \
	  find _build/$$code/_build/latex -maxdepth 1 -name '*.tex' ! -name book.tex -delete 2>/dev/null || true; \
	  $(BIN)/python scripts/edition_config.py config $$code _build/$$code >/dev/null; \
	  echo "$(DATED) W2VLIB_STATIC=1 W2VLIB_LANG=$$code $(JB) build . --config _build/$$code/_config.yml --path-output _build/$$code --builder pdflatex $(BUILD_FLAGS)"; \
	  $(DATED) W2VLIB_STATIC=1 W2VLIB_LANG=$$code $(JB) build . --config _build/$$code/_config.yml \
	      --path-output _build/$$code --builder pdflatex $(BUILD_FLAGS); \
	done
	@# The website's download menu links book.pdf at each edition's root.
	@if [ -d _build/html ]; then cp _build/latex/book.pdf _build/html/book.pdf; fi
	@for code in $(EDITIONS); do if [ -d _build/html/$$code ]; then \
	  cp _build/$$code/_build/latex/book.pdf _build/html/$$code/book.pdf; fi; done
	@echo "The PDFs are in _build/latex (English) and _build/<code>/_build/latex ($(EDITIONS))"

test-lib: $(STAMP)
	$(BIN)/python -m pytest tests -m "not book"

test: $(STAMP) book
	scripts/system-deps.sh browser pdf
	@# After `book`, so that the PDF is copied into the site (tests/test_pdf.py checks the copy).
	$(MAKE) --no-print-directory pdf
	$(BIN)/python -m pytest tests

# Every benchmarks/bench_*.py prints its own figures; none of them is a pass/fail test.
bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Sphinx's gettext builder and sphinx-intl: new English messages arrive untranslated, changed ones
# fuzzy (tests/test_catalogs.py fails on both until they are translated).
catalogs: $(STAMP)
	$(BIN)/python scripts/update-catalogs.py

clean:
	rm -rf _build
