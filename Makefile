# One-word chores wrapping the commands in README.md.
.PHONY: test lint bench bench-ledger demo demo-parse ci

test:
	scripts/test

lint:
	.venv/bin/ruff check src tests bench

bench:
	.venv/bin/python bench/bench_parse.py

bench-ledger:
	.venv/bin/python bench/bench_ledger.py --small

demo:
	scripts/demo

demo-parse:
	scripts/demo-parse

ci:
	bash .ci/run
