# The README's two commands: `make demo` (set up, then run the main job on the
# bundled samples) and `make test` (set up, then every test). CI runs `make test`.
.PHONY: setup demo test lint bench clean

VENV := .venv/bin
DEMO_DB ?= sqlite:///$(CURDIR)/.demo/readouts.db

setup:
	@bash scripts/setup.sh

demo: setup
	@bash scripts/demo.sh

test: setup
	$(VENV)/ruff check readouts tests benchmarks
	$(VENV)/mypy readouts
	$(VENV)/python -m pytest -q

lint: setup
	$(VENV)/ruff check readouts tests benchmarks

clean:
	rm -rf .demo .pytest_cache build *.egg-info
