"""`archive-build suggest-entities`: frequent names the gazetteer lacks, for a curator to add."""
from __future__ import annotations

from pathlib import Path

from archive_build.entities.commands import suggest
from archive_build.entities.matcher import Matcher
from archive_build.model import Article

from .conftest import copy_project, run_cli


def article(aid: str, plain: str) -> Article:
    a = Article(id=aid, raw=f"raw/{aid}.txt", sha256="0", format="txt")
    a.plain = plain
    return a


def test_unknown_repeated_names_are_listed_with_counts_and_articles():
    arts = [article("a", "Sam Bendett said so. Later Sam Bendett agreed."), article("b", "Analysts like Sam Bendett doubt it.")]
    assert suggest(arts, None) == [("Sam Bendett", 3, ["a", "b"])]


def test_known_names_sentence_starts_months_and_demonyms_are_left_out():
    arts = [article("a", "However, Putin spoke in May. However, Russian troops and Putin stayed. President Putin left.")]
    matcher = Matcher({"vladimir-putin": ["Putin"]})
    assert suggest(arts, matcher) == []


def test_the_command_lists_names_from_the_seed_archive(tmp_path: Path):
    project = copy_project(tmp_path / "archive")
    proc = run_cli(project, "suggest-entities", "--min-count", "2")
    assert proc.returncode == 0, proc.stderr
    assert "DimWit Plan" in proc.stdout
    assert "  Kyiv  " not in proc.stdout and "Putin" not in proc.stdout


def test_tags_from_topic_entities_and_sidecars_have_a_listing_page(seed_site: Path):
    html = (seed_site / "site/browse/tags/index.html").read_text(encoding="utf-8")
    assert "Air defense" in html and "drone attack on Moscow" in html
    assert "../../articles/2023-05-30-drone-attacks-on-moscow-stern/" in html
