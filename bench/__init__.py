"""Benchmarks: synthetic archives (``bench.generate``) and the scale table (``bench.scale``)."""
