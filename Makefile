# The two everyday commands are `make book` and `make test`. Every target
# creates the virtual environment .venv on first use and refreshes it when
# pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# "book" is also a folder, so every target is phony.
.PHONY: book test lint serve pdf clean distclean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[book,test,dev]"
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --builder html
	@echo
	@echo "The book is built. Open $(CURDIR)/_build/html/index.html"
	@echo "or run 'make serve' and visit http://$(HOST):$(PORT)/"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

serve: $(STAMP)
	@test -f _build/html/index.html || $(MAKE) book
	@echo "Serving _build/html at http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	$(BIN)/python -m http.server --bind $(HOST) --directory _build/html $(PORT)

pdf: $(STAMP)
	$(BIN)/jupyter-book build . --builder pdflatex
	@echo "The PDF is in $(CURDIR)/_build/latex/"

clean:
	rm -rf _build .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
