# The two commands of the README: `make demo` and `make test` (.ci/run calls `make test`).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.anjian-installed
PYTEST_ARGS ?=
# pytest-xdist workers: one per core (each has its own test database and data directory, config/test_settings.py).
PYTEST_WORKERS ?= auto

.PHONY: demo test test-browser test-schemathesis lint bench install mutation

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

# The standards' own tests cover every branch of anjian.standards (architecture rule: 100 %); measured apart from the
# rest of the suite, whose every call coverage's tracer would otherwise slow by about half.
test: lint
	$(BIN)/python -m pytest anjian/standards -q --cov=anjian.standards --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=100
	$(BIN)/python -m pytest -m "not browser and not schemathesis" --ignore=anjian/standards -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-browser: $(INSTALLED)
	$(BIN)/python -m pytest -m browser -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Schemathesis over /api/schema/ as three personas (anjian/core/tests/test_schemathesis.py): no 5xx, no answer that
# differs from the schema. Derandomized; ANJIAN_SCHEMATHESIS_EXAMPLES requests per operation and mode (default 6).
test-schemathesis: $(INSTALLED)
	$(BIN)/python -m pytest -m schemathesis -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Mutation testing of the gate, the write and transition helpers and the role table's application ([tool.mutmut] in
# pyproject.toml, figures in docs/benchmarks.md). It takes most of an hour on 2 cores, so `make test` leaves it out.
# It starts from a fresh copy: mutmut keeps its verdicts between runs and would not rerun them after the tests change.
define MUTATION_SUMMARY
import collections, json, pathlib
from mutmut.stats import status_by_exit_code
for meta in sorted(pathlib.Path("mutants").rglob("*.py.meta")):
    codes = list(json.loads(meta.read_text())["exit_code_by_key"].values())
    counts = collections.Counter(status_by_exit_code[code] for code in codes)
    name = str(meta.relative_to("mutants")).removesuffix(".meta")
    print(f"{name}: {len(codes)} mutants, " + ", ".join(f"{n} {status}" for status, n in counts.most_common()))
endef
export MUTATION_SUMMARY

mutation: $(INSTALLED)
	rm -rf mutants
	$(BIN)/mutmut run
	@echo "Surviving mutants (\`$(BIN)/mutmut show NAME\` prints one):"
	@$(BIN)/mutmut results
	@$(BIN)/python -c "$$MUTATION_SUMMARY"

bench: $(INSTALLED)
	$(BIN)/python bench/generate_demo.py
	$(BIN)/python bench/enterprise_list.py
