# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make build   → .venv from pinned requirements, then the site into site/ (strict)
#   make test    → the same set-up, then every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test serve check clean pdf

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

build: $(BIN)/.installed
	$(BIN)/python -m macros check
	$(BIN)/mkdocs build --strict --clean --site-dir site

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q tests

check: $(BIN)/.installed
	$(BIN)/python -m macros check

serve: $(BIN)/.installed
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:$(PORT)

clean:
	rm -rf site $(VENV)

# Each bulletin as an A4 PDF in pdf/, printed by headless Chromium (needs chromium and fonts-noto-cjk).
pdf: build
	$(BIN)/python tools/pdf.py site pdf
