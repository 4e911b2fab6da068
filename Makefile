# Shortcuts; each target is one of the scripts in scripts/ (read them: they are short).
.PHONY: demo test check bench load asterisk-start asterisk-stop

demo:            ## install what is missing, run the demo campaign, print the results
	scripts/demo

test:            ## install what is missing, run lint + types + the whole test suite
	scripts/test

check:           ## lint + types + unit tests only (no Asterisk, no models)
	.cache/venv/bin/ruff check . && .cache/venv/bin/mypy && \
	.cache/venv/bin/pytest -m "not asterisk and not models"

bench:           ## speech + latency benchmarks (prints measured numbers)
	scripts/bench

load:            ## bounded load test: concurrent calls through the real Asterisk
	.cache/venv/bin/python bench/load_calls.py

asterisk-start:
	scripts/asterisk start

asterisk-stop:
	scripts/asterisk stop
