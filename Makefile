# Thin wrappers around run.py (which needs only Python >= 3.11); `make` is optional.
PYTHON ?= python3

.PHONY: lab test present bench refresh lint
lab:
	$(PYTHON) run.py lab
test:
	$(PYTHON) run.py test
present:
	$(PYTHON) run.py present
bench:
	$(PYTHON) run.py bench
refresh:
	$(PYTHON) run.py refresh
lint:
	.venv/bin/python -m ruff check . && .venv/bin/python -m tools.nblint
