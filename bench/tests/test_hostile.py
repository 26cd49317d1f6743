"""``make bench-hostile``'s growth exponent: the slope it reports reads linear and quadratic growth as 1 and 2."""
from __future__ import annotations

import pytest

from bench.hostile import fit_exponent


def test_the_exponent_fit_reads_linear_and_quadratic_growth() -> None:
    sizes = [25, 50, 100, 200, 400]
    assert fit_exponent(sizes, [s * 0.01 for s in sizes]) == pytest.approx(1.0)
    assert fit_exponent(sizes, [s * s * 0.01 for s in sizes]) == pytest.approx(2.0)
