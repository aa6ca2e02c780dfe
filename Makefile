# The two commands for a fresh machine: `make demo` and `make test` (each runs `make setup`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup system-packages demo demo-web test lint clean-demo bench-env bench

setup: system-packages $(VENV)/.installed

system-packages:
	@scripts/install-system-packages.sh

# Rebuilt only when the lock or the project metadata changes, so a second `make setup` is quiet.
$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
		|| { echo "mailroom needs Python 3.11 (found $$($(PYTHON) --version))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	@$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

demo: setup
	@$(BIN)/mailroom demo

# The demo, then demo staff accounts (passwords printed) and the web app on its data.
demo-web: setup
	@$(BIN)/mailroom demo --web

# Two workers, each test file on one of them (a file's servers and installed wheel are shared
# by its tests): the suite takes about half the time on a 2-core machine.
TEST_WORKERS ?= 2
test: setup
	@$(BIN)/ruff check .
	@$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: setup
	@$(BIN)/ruff check .

# PassportEye, measured beside us in bench/extraction.py, lives in its own environment so its
# dependencies (scikit-image, scikit-learn, matplotlib) never enter the product's.
bench-env: .venv-bench/.installed

.venv-bench/.installed: bench/requirements.txt
	@test -x .venv-bench/bin/python || $(PYTHON) -m venv .venv-bench
	@.venv-bench/bin/pip install -q --disable-pip-version-check -r bench/requirements.txt
	@touch $@

bench: setup bench-env
	@$(BIN)/python bench/extraction.py
