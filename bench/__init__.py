"""Benchmarks of socialdesk: each figure measured next to its floor in the same run (see docs/BENCHMARKS.md)."""
