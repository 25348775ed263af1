"""Kindred's benchmarks: ``make bench`` (``python -m benchmarks.run``) writes ``benchmarks/RESULTS.md``."""
