# One-word chores wrapping the commands in README.md.
.PHONY: test lint bench demo ci

test:
	scripts/test

lint:
	.venv/bin/ruff check src tests bench

bench:
	.venv/bin/python bench/bench_parse.py

demo:
	scripts/demo

ci:
	bash .ci/run
