"""Related reading: rare shared entities and shared words, from posting lists, top five."""
from __future__ import annotations

from pathlib import Path

import yaml

from archive_build.collection.related import POSTINGS_KEPT, _postings, related_articles, vectors
from archive_build.model import Article


def article(aid: str, entities: dict[str, int], terms: dict[str, int] | None = None, tags: list[str] | None = None) -> Article:
    a = Article(id=aid, raw=f"raw/{aid}.txt", sha256="0", format="txt", title=aid.upper())
    a.entities = entities
    a.tags = tags or []
    a.terms = terms or {}
    return a


def front_matter(project: Path, aid: str) -> dict:
    text = (project / "docs/articles" / f"{aid}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def test_the_two_reports_of_the_30_may_2023_attack_are_each_others_first_related_article(seed_site: Path):
    wsws = front_matter(seed_site, "2023-05-30-drone-attack-on-moscow")
    stern = front_matter(seed_site, "2023-05-30-drone-attacks-on-moscow-stern")
    assert wsws["related"][0]["id"] == "2023-05-30-drone-attacks-on-moscow-stern"
    assert stern["related"][0]["id"] == "2023-05-30-drone-attack-on-moscow"


def test_related_reading_is_shown_on_the_article_page(seed_site: Path):
    html = (seed_site / "site/articles/2023-05-30-drone-attack-on-moscow/index.html").read_text(encoding="utf-8")
    block = html.split('class="ab-related"', 1)[1].split("</aside>", 1)[0]
    assert block.index("2023-05-30-drone-attacks-on-moscow-stern/") < block.index("2025-06-09-moscow-escalates-bombing-of-civilians/")


def test_a_shared_rare_entity_counts_for_more_than_a_shared_common_one():
    common = {f"c{i}": 1 for i in range(3)}
    arts = [
        article("a", {"russia": 1, "cleverly": 1}),
        article("b", {"russia": 1, "cleverly": 1}),
        article("c", {"russia": 1, "ukraine": 1}),
        article("d", {"ukraine": 1, "russia": 1}),
        article("e", {"ukraine": 1, **common}),
    ]
    rel = related_articles(arts)
    assert rel[0][0]["id"] == "b"


def test_shared_words_count_when_no_entity_is_shared():
    arts = [
        article("a", {}, {"drone": 5, "moscow": 3}),
        article("b", {}, {"drone": 4, "moscow": 2}),
        article("c", {}, {"harvest": 3, "grain": 2}),
        article("d", {}, {"grain": 1, "ports": 2}),
    ]
    assert [r["id"] for r in related_articles(arts)[0]] == ["b"]


def test_at_most_five_never_itself_and_nothing_unrelated():
    arts = [article(f"x{i}", {"rare": 1, f"own{i}": 1}) for i in range(8)] + [article("z", {"other": 1}), article("y", {"other2": 1})]
    rel = related_articles(arts)
    assert len(rel[0]) == 5
    assert all(r["id"] != "x0" for r in rel[0])
    assert rel[8] == []


def test_ties_are_broken_by_id_so_the_order_is_deterministic():
    arts = [article(i, {"rare": 1, "also": 1}) for i in ("d", "b", "a", "c")] + [article("e", {"x": 1}), article("f", {"y": 1})]
    assert [r["id"] for r in related_articles(arts)[0]] == ["a", "b", "c"]


def test_a_posting_list_holds_at_most_a_fixed_number_of_articles_so_work_per_article_is_bounded():
    # Every article shares one entity: a naive index would compare every pair.
    n = POSTINGS_KEPT * 5
    arts = [article(f"a{i:05d}", {"russia": 1, f"only{i // 2}": 1}) for i in range(n)]
    arts.append(article("zzz", {"elsewhere": 1}))
    postings = _postings(vectors(arts))
    assert max(len(p) for p in postings.values()) == POSTINGS_KEPT
    # ...and the rare entity each pair shares still makes them each other's first.
    assert related_articles(arts)[0][0]["id"] == "a00001"


def test_articles_below_the_threshold_are_not_related_reading():
    arts = [article("a", {"x": 1, "common": 1}), article("b", {"x": 1, "common": 1}), article("c", {"common": 1, "y": 1}), article("d", {"y": 1, "z": 1})]
    related = related_articles(arts)
    assert [r["id"] for r in related[0]] == ["b"]  # c shares only what every article has


def test_each_related_article_says_what_it_shares_rarest_first_with_tags_as_written():
    arts = [
        article("a", {"shoigu": 1, "moscow": 1}, tags=["Pantsir"]),
        article("b", {"shoigu": 1, "moscow": 1}, tags=["pantsir"]),
        article("c", {"moscow": 1, "kyiv": 1}),
        article("d", {"kyiv": 1, "lviv": 1}),
    ]
    shares = related_articles(arts)[0][0]["shares"]
    assert set(shares) == {"e:shoigu", "t:Pantsir", "e:moscow"} and shares[-1] == "e:moscow"
