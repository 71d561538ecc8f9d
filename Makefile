# One-word chores wrapping the commands in README.md.
.PHONY: test lint bench compare-parse bench-ledger bench-memory bench-supervision demo demo-parse ci

test:
	scripts/test

lint:
	.venv/bin/ruff check src tests bench

bench:
	.venv/bin/python bench/bench_parse.py

compare-parse:  # does this tree parse every dev document as REV does? make compare-parse REV=main
	.venv/bin/python bench/compare_parse.py $(or $(REV),main)

bench-ledger:
	.venv/bin/python bench/bench_ledger.py --small

bench-memory:
	.venv/bin/python bench/bench_memory.py

bench-supervision:
	.venv/bin/python bench/bench_supervision.py
	.venv/bin/python bench/bench_supervision_web.py

demo:
	scripts/demo

demo-parse:
	scripts/demo-parse

ci:
	bash .ci/run
