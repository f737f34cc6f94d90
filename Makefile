# The two commands of the README: `make demo` and `make test` (.ci/run calls `make test`).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.anjian-installed
PYTEST_ARGS ?=

.PHONY: demo test test-browser lint bench install

install: $(INSTALLED)

# A virtualenv with the project (editable) and its test tools; redone when pyproject.toml changes.
$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

demo: $(INSTALLED)
	$(BIN)/anjian demo

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy --strict anjian/standards

test: lint
	$(BIN)/python -m pytest -m "not browser" --cov=anjian.standards --cov-branch --cov-report=term-missing --cov-fail-under=100 $(PYTEST_ARGS)

test-browser: $(INSTALLED)
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

bench: $(INSTALLED)
	$(BIN)/python bench/generate_demo.py
	$(BIN)/python bench/enterprise_list.py
