"""One contributed file must never stall the archive: every hostile shape is processed in linear time.

The shapes (``bench/hostile_shapes.py``) are the issue's: text without a
sentence terminator, runs of spaces, unclosed brackets, link openers, bare
URLs, footnote-like markers, bidi and zero-width characters, a one-line
text, a Markdown file of backslashes, and the classic regular-expression
denial-of-service inputs.  Here they run small: what is checked is growth
(CPU time at four times the size stays well under the sixteen times a
quadratic pass would take) and that a real build and site take them
within the default budget; ``make bench-hostile`` prints the full-size table.
"""
from __future__ import annotations

import pytest

from bench.hostile import build_step, fit_exponent, site_step
from bench.hostile_shapes import SHAPES, Shape, fill

from .conftest import copy_project, mkdocs_build, run_cli

pytestmark = pytest.mark.slow

SMALL, LARGE = 12_000, 48_000
# Four times the input: a linear pass takes about 4 times as long, a quadratic one 16.
# The bound is exponent 1.5 (8 times), with room for timer noise on small inputs.
MAX_GROWTH = 4 ** 1.5


def _cpu(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    import time

    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return max(best, 0.002)  # below the timer's resolution, growth means nothing


def _growth(shape: Shape, step: str) -> float:
    small, large = shape.make(SMALL), shape.make(LARGE)
    if step == "build":
        return _cpu(lambda: build_step(large, shape.ext)) / _cpu(lambda: build_step(small, shape.ext))
    small_page, large_page = build_step(small, shape.ext), build_step(large, shape.ext)
    return _cpu(lambda: site_step(large_page)) / _cpu(lambda: site_step(small_page))


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    site_step(build_step("A title\n\nA warm-up.\n", ".txt"))


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_the_build_step_grows_linearly_with_each_hostile_shape(shape: Shape) -> None:
    assert _growth(shape, "build") < MAX_GROWTH


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_the_site_step_grows_linearly_with_each_hostile_shape(shape: Shape) -> None:
    assert _growth(shape, "site") < MAX_GROWTH


def test_a_whole_archive_of_hostile_files_builds_within_the_budget_and_keeps_every_article(tmp_path) -> None:  # type: ignore[no-untyped-def]
    project = copy_project(tmp_path / "archive")
    for i, shape in enumerate(SHAPES):
        (project / "raw" / f"2024-02-{i + 1:02d}-hostile{shape.ext}").write_text(shape.make(20_000), encoding="utf-8")
    proc = run_cli(project, "build", "--quiet", "--keep-going")
    assert "took longer than" not in proc.stderr and "memory" not in proc.stderr, proc.stderr
    built = {p.stem for p in (project / "docs" / "articles").glob("*.md")}
    assert {f"2024-02-{i + 1:02d}-hostile" for i in range(len(SHAPES))} <= built
    site = mkdocs_build(project)
    assert site.returncode == 0, site.stdout + site.stderr


def test_a_long_paragraph_is_cut_into_pieces_without_losing_a_word() -> None:
    from archive_build.pipeline import clean_article

    text = fill("word " * 9 + "[a link](https://example.org/x) ", 60_000)
    article = clean_article(("# A title\n\n" + text + "\n").encode(), "raw/2024-01-01-x.md")
    assert article.body.count("\n\n") >= 60_000 // 8000
    assert article.body.split() == text.split()
    assert any("paragraph break" in w for w in article.warnings)


def test_a_piece_that_would_open_a_list_or_a_heading_starts_escaped() -> None:
    from archive_build.transforms.bound import cut_paragraph

    pieces = cut_paragraph(fill("- # 1. > ", 20_000))
    assert len(pieces) > 2 and all(p[:1] == "\\" for p in pieces[1:])


def test_the_exponent_fit_reads_linear_and_quadratic_growth() -> None:
    sizes = [25, 50, 100, 200, 400]
    assert fit_exponent(sizes, [s * 0.01 for s in sizes]) == pytest.approx(1.0)
    assert fit_exponent(sizes, [s * s * 0.01 for s in sizes]) == pytest.approx(2.0)
