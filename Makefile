# The two everyday commands are `make book` and `make test`. Every target
# creates the virtual environment .venv on first use and refreshes it when
# pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JS := tests/browser
JS_STAMP := $(JS)/node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# The chapters do small matrix work, where BLAS threads only contend with
# each other (and, on two cores, with the build): one thread each is faster
# and makes every run compute in the same order.
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

# "book" is also a folder, so every target is phony.
.PHONY: book test lint serve pdf clean distclean venv system-deps bench

# The system packages the tests need (Chromium, npm, LaTeX and fonts,
# poppler-utils): .ci/system-deps holds their list and installs the missing
# ones with apt-get, or says exactly what is missing where there is none.
# `make book` needs none of them.
system-deps:
	@bash .ci/system-deps

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[book,test,dev]"
	touch $(STAMP)

# The browser tests inject axe-core, pinned by tests/browser/package-lock.json.
$(JS_STAMP): $(JS)/package-lock.json | system-deps
	npm ci --prefix $(JS) --no-audit --no-fund --loglevel=error
	touch $(JS_STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --builder html
	@echo
	@echo "The book is built. Open $(CURDIR)/_build/html/index.html"
	@echo "or run 'make serve' and visit http://$(HOST):$(PORT)/"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: system-deps lint $(JS_STAMP)
	$(BIN)/python -m pytest

# Times the build: clean, unchanged and after a library edit, with the
# chapters executed one after another and in parallel.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py

serve: $(STAMP)
	@test -f _build/html/index.html || $(MAKE) book
	@echo "Serving _build/html at http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	$(BIN)/python -m http.server --bind $(HOST) --directory _build/html $(PORT)

# The whole book as one PDF, typeset by xelatex. If the site is built, the
# PDF is also copied to where its "PDF (book)" download button points.
PDF := _build/latex/mathsforml-book.pdf
PDF_DOWNLOAD := _build/html/_downloads/mathsforml-book.pdf

pdf: $(STAMP)
	@bash .ci/system-deps pdf
	$(BIN)/jupyter-book build . --builder pdflatex
	@if [ -d _build/html ]; then \
		mkdir -p $(dir $(PDF_DOWNLOAD)) && cp $(PDF) $(PDF_DOWNLOAD) && \
		echo "Copied for the site to $(CURDIR)/$(PDF_DOWNLOAD)"; \
	fi
	@echo
	@echo "The PDF is $(CURDIR)/$(PDF)"

clean:
	rm -rf _build .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
