"""What the tests and the benches both build with: the project skeleton, the synthetic archive generator,
the hostile input shapes, one article's per-step work, fault injection and the console script's runner.

Neither ``tests/`` nor ``bench/`` is imported by the other; both import this.
"""
