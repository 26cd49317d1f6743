"""A power law fitted to measured sizes, to project a figure to a size not run (``make bench``: 100,000 articles)."""
from __future__ import annotations

import math
from typing import Sequence


def fit(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """``(a, b)`` of ``y = a * n ** b``, least squares in log-log space over ``(n, y)`` points (at least two sizes)."""
    usable = [(math.log(n), math.log(y)) for n, y in points if n > 0 and y > 0]
    if len({x for x, _ in usable}) < 2:
        raise ValueError("a projection needs figures at two sizes at least")
    mx = sum(x for x, _ in usable) / len(usable)
    my = sum(y for _, y in usable) / len(usable)
    b = sum((x - mx) * (y - my) for x, y in usable) / sum((x - mx) ** 2 for x, _ in usable)
    return math.exp(my - b * mx), b


def project(points: Sequence[tuple[float, float]], n: float) -> tuple[float, float]:
    """The fitted figure at ``n`` and the fit's exponent."""
    a, b = fit(points)
    return a * n**b, b
