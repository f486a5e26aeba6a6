"""Benchmark suite for verisoul-python: run it with ``nox -s bench`` or ``python -m bench.run``."""
