PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint clean

$(BIN)/python:
	$(shell command -v $(PY) || echo python3) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsift analyze examples/war-report.html --published 2026-05-07
	$(BIN)/newsift analyze examples/war-report.html --published 2026-05-07 --format html > report.html
	@echo "wrote report.html"

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks training
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) report.html
