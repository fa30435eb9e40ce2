# Clearway: `make demo` runs a live system with demo data, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
# Where `make demo` and `make serve` listen: `make demo PORT=8100 HOST=0.0.0.0`. The demo's
# partner administration takes PORT+1; a port in use stops the demo at once, before it
# seeds anything (`clearway demo` exits 3, make then reports the error).
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test test-fast lint serve bench clean

install:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || \
		$(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen

demo: install
	$(UV) run clearway demo --host $(HOST) --port $(PORT)

serve: install
	$(UV) run clearway serve --host $(HOST) --port $(PORT)

test: install
	$(UV) run pytest -n 2 --dist loadfile

test-fast: install
	$(UV) run pytest -n 2 --dist loadfile -m "not browser"

lint: install
	$(UV) run ruff check src tests benchmarks
	$(UV) run mypy
	$(UV) run lint-imports

bench: install
	$(UV) run python benchmarks/ingest.py

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache test-artifacts
