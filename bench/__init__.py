"""Benchmarks: the scale table (``bench.scale``), the site step, hostile inputs, faults; what they build with is ``testkit``."""
