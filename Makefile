# Two commands do all the set-up on a fresh machine: `make book` and `make test`.
# Everything Python goes into .venv at the repository root; Debian tools come from
# scripts/system-deps.sh (installed when run as root, named when missing otherwise).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB     := $(BIN)/jupyter-book
BUILD_FLAGS := -W -n --keep-going

.PHONY: book test test-lib pdf bench clean help

help:
	@echo "make book   build the website into _build/html"
	@echo "make test   build everything and run the whole test suite"
	@echo "make pdf    build the book as a PDF into _build/latex"
	@echo "make bench  print build and speed figures"

# The virtual environment is rebuilt when the pinned requirements or the package metadata change.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# The execution cache keys on notebook code only: when w2vlib changes, drop the cached
# outputs and the parsed pages, so no chapter shows outputs of an older library.
_build/.w2vlib-stamp: $(wildcard w2vlib/*.py)
	rm -rf _build/.jupyter_cache _build/.doctrees _build/jupyter_execute
	@mkdir -p _build && touch $@

# W2VLIB_STATIC tells w2vlib.widgets that no kernel will be behind the page: widgets are drawn
# disabled, beside their static fallback and a pointer to Binder.
book: $(STAMP) _build/.w2vlib-stamp
	W2VLIB_STATIC=1 $(JB) build . $(BUILD_FLAGS)
	@echo "The site is in _build/html: open file://$(CURDIR)/_build/html/index.html"

pdf: $(STAMP) _build/.w2vlib-stamp
	scripts/system-deps.sh pdf
	W2VLIB_STATIC=1 $(JB) build . --builder pdflatex $(BUILD_FLAGS)
	@echo "The PDF is in _build/latex"

test-lib: $(STAMP)
	$(BIN)/python -m pytest tests -m "not book"

test: $(STAMP) book
	scripts/system-deps.sh browser pdf
	$(BIN)/python -m pytest tests

# Every benchmarks/bench_*.py prints its own figures; none of them is a pass/fail test.
bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf _build
