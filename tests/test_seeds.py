"""The four seed articles come out as the ingest issue's table says."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive_build.ingest.sidecar import load_sidecar, sidecar_path
from archive_build.pipeline import clean_article

RAW = Path(__file__).resolve().parent.parent / "raw"
MILITANT = "2025-06-09-moscow-escalates-bombing-of-civilians"
STATEMENTS = "2026-02-27-ukraine-war-fourth-anniversary-statements"
WSWS = "2023-05-30-drone-attack-on-moscow"
STERN = "2023-05-30-drone-attacks-on-moscow-stern"


def seed(article_id: str):
    path = next(RAW.glob(article_id + ".*[!l]"))
    side = sidecar_path(path)
    return clean_article(path.read_bytes(), f"raw/{path.name}", load_sidecar(side, side.name) if side.exists() else None)


@pytest.mark.parametrize(
    "article_id, title, authors, date, source",
    [
        (MILITANT, "Moscow sharply escalates the bombing of civilians in Ukraine", ["Roy Landersen"], "2025-06-09", "The Militant"),
        (WSWS, "Drone attack on Moscow aims to escalate US-NATO war with Russia", ["Andre Damon"], "2023-05-30", "World Socialist Web Site"),
        (STERN, None, [], "2023-05-30", "Stern"),
        (STATEMENTS, None, [], "2026-02-27", "Ukraine Solidarity Network"),
    ],
)
def test_seed_metadata(article_id, title, authors, date, source):
    a = seed(article_id)
    if title:
        assert a.title == title
    else:
        assert a.title and a.title != article_id  # the curator's title from the sidecar
    assert (a.authors, a.date, a.source) == (authors, date, source)


def test_seed_bytes_are_unchanged_copies_of_the_shared_seeds():
    shared = RAW.parent.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds not present")
    raw_hashes = {p.read_bytes() for p in RAW.iterdir() if not p.name.endswith(".meta.yml")}
    assert {p.read_bytes() for p in shared.iterdir()} <= raw_hashes


def test_militant_caption_appears_once_with_its_credit():
    a = seed(MILITANT)
    assert a.body.count("Nataliia Hrabarchuk, a former kindergarten teacher") == 1
    assert "*Ukraine Air Defense Forces*{: .credit }" in a.body


def test_militant_subheadings():
    a = seed(MILITANT)
    assert "## Rifts between U.S., European powers" in a.body
    assert "## Putin’s war opposed inside Russia" in a.body


def test_statements_date_label_is_not_in_the_body():
    a = seed(STATEMENTS)
    assert "date 2026-02-27" not in a.body and "2026-02-27" not in a.body


def test_statements_are_sections_with_their_own_dates():
    a = seed(STATEMENTS)
    for heading in (
        "## Sotsialnyi Rukh: How can Ukraine survive, after leading a large-scale resistance for four years?",
        "## Posle Editorial Collective (Russia): Statement on the fourth anniversary of the war",
        "## Ukraine Solidarity Network (US): Ukraine still stands",
    ):
        assert heading + "\n\nFebruary 2" in a.body


def test_statements_network_subheadings_are_headings():
    a = seed(STATEMENTS)
    for sub in ("Massive casualties", "A stalemated war", "Unspeakable war crimes", "Campist contradictions"):
        assert f"### {sub}\n" in a.body


def test_statements_end_on_a_colon_and_are_flagged_as_truncated():
    assert any("truncated" in w for w in seed(STATEMENTS).warnings)


def test_wsws_contact_footer_is_removed_and_recorded():
    a = seed(WSWS)
    assert "To contact" not in a.body and "wsws.org/contact" not in a.body
    assert [r.reason for r in a.removed].count("site contact/subscription footer") == 2


def test_wsws_split_paragraphs_are_joined():
    a = seed(WSWS)
    assert "asked Democratic Representative Jerrold Nadler" in a.body
    assert "operations in the Arctic waters" in a.body


def test_wsws_italics_and_book_title_are_kept():
    a = seed(WSWS)
    assert "*Times of London*" in a.body
    assert "*Leon Trotsky and the Struggle for Socialism in the Twenty-First Century*" in a.body


def test_stern_lede_is_the_description():
    assert seed(STERN).description.startswith("Russia has been bombing civilian targets in Ukraine for months.")


def test_stern_source_line_moves_to_metadata_and_bio_is_removed():
    a = seed(STERN)
    reasons = {r.reason: r.text for r in a.removed}
    assert reasons["metadata: source (moved to front matter)"] == "Source: Stern"
    assert reasons["author bio appended after the article"].startswith("I have been working in the news industry")
    assert "Source: Stern" not in a.body and "news industry" not in a.body


def test_stern_subheadings():
    a = seed(STERN)
    assert "## Attacks in Russia are increasing" in a.body and "## London: Ukraine allowed to attack Russian territory" in a.body
