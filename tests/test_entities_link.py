"""Linking: the first mention of each entity links to its page; nothing else is touched."""
from __future__ import annotations

import re
from pathlib import Path

from archive_build.entities import link_entities
from archive_build.entities.gazetteer import parse_gazetteer
from archive_build.entities.link import link_body
from archive_build.model import Article
from archive_build.safe_yaml import load_text

GAZETTEER, _ = parse_gazetteer(
    load_text(
        """
entities:
  - {id: vladimir-putin, name: Vladimir Putin, kind: person, aliases: [Putin]}
  - {id: kyiv, name: Kyiv, kind: place, aliases: [Kiev]}
  - {id: moscow, name: Moscow, kind: place}
  - {id: att, name: "AT&T", kind: organization}
  - {id: air-defense, name: Air defense, kind: topic, aliases: [air defense]}
""",
        "entities.yml",
    ),
    "entities.yml",
)
M = GAZETTEER.matcher


def linked(body: str) -> str:
    return link_body(body, M)[0]


def links(body: str) -> list[str]:
    return re.findall(r"\[([^\]]*)\]\(\.\./entities/([^)]*)\.md\)", linked(body))


def test_only_the_first_mention_of_each_entity_links_but_every_mention_counts():
    out, counts = link_body("Putin met Putin. In Kyiv, Vladimir Putin left Kiev.\n", M)
    assert out == "[Putin](../entities/vladimir-putin.md){ .ab-entity } met Putin. In [Kyiv](../entities/kyiv.md){ .ab-entity }, Vladimir Putin left Kiev.\n"
    assert counts == {"vladimir-putin": 3, "kyiv": 2}


def test_no_link_inside_a_heading():
    assert links("## Putin in Kyiv\n\nPutin spoke.\n") == [("Putin", "vladimir-putin")]
    assert linked("## Putin in Kyiv\n\nPutin spoke.\n").startswith("## Putin in Kyiv\n")


def test_no_link_inside_an_existing_link_or_its_address():
    body = "[Putin in Kyiv](https://example.org/Putin/Kyiv) and then Moscow.\n"
    assert links(body) == [("Moscow", "moscow")]


def test_no_link_inside_inline_code_or_a_fenced_block():
    body = "`Putin` and\n\n```\nKyiv\n```\n\nMoscow\n"
    assert links(body) == [("Moscow", "moscow")]


def test_no_link_inside_a_footnote_reference_or_definition():
    body = "Moscow[^ann-kyiv]\n\n[^ann-kyiv]: Kyiv is the capital.\n    Putin disagrees.\n"
    assert links(body) == [("Moscow", "moscow")]


def test_no_link_inside_html_tag_attributes_nor_inside_a_highlighted_passage():
    body = '<mark class="ab-ann Putin" data-kyiv="Kyiv">Putin</mark>[^ann-1] spoke.\n'
    assert linked(body) == body


def test_a_mention_after_the_highlight_is_linked_instead():
    body = '<mark class="ab-ann"><mark class="ab-ann">Putin</mark> and Putin</mark>[^ann-1] spoke. Then Putin left.\n'
    assert links(body) == [("Putin", "vladimir-putin")]
    assert linked(body).endswith("Then [Putin](../entities/vladimir-putin.md){ .ab-entity } left.\n")


def test_no_link_inside_a_photo_caption():
    body = "Putin in Kyiv *Photo: AP*{: .credit }\n{: .caption }\n\nPutin spoke.\n"
    assert links(body) == [("Putin", "vladimir-putin")]
    assert linked(body).endswith("[Putin](../entities/vladimir-putin.md){ .ab-entity } spoke.\n")


def test_at_most_one_link_a_sentence_the_others_wait_for_a_later_mention():
    body = "Putin visited Kyiv. Later Kyiv was calm.\n"
    assert links(body) == [("Putin", "vladimir-putin"), ("Kyiv", "kyiv")]
    assert linked(body).endswith("Later [Kyiv](../entities/kyiv.md){ .ab-entity } was calm.\n")


def test_a_mention_that_crosses_a_highlight_boundary_is_not_cut_in_half():
    body = 'Vladimir <mark class="ab-ann">Putin said</mark>\n'
    out = linked(body)
    assert '<mark class="ab-ann">' in out and out.count("[") == 0


def test_no_link_on_attr_list_lines_or_in_emphasis_markers():
    body = "Kyiv\n{: .dateline }\n\n*Moscow* correspondent\n"
    assert linked(body) == "[Kyiv](../entities/kyiv.md){ .ab-entity }\n{: .dateline }\n\n*[Moscow](../entities/moscow.md){ .ab-entity }* correspondent\n"


def test_escaped_text_is_matched_as_it_reads_and_linked_as_it_is_written():
    assert linked("AT\\&T sued. Putin\\'s men\n") == "[AT\\&T](../entities/att.md){ .ab-entity } sued. [Putin](../entities/vladimir-putin.md){ .ab-entity }\\'s men\n"


def test_link_entities_records_counts_and_a_sentence_for_each_entity_and_topic_tags():
    article = Article(id="2024-01-01-x", raw="raw/x.txt", sha256="0", format="txt")
    article.body = "Shelling hit Kyiv overnight. Air defense shot down most drones over Kyiv.\n"
    article.tags = ["Russia-Ukraine war"]
    article = link_entities(article, GAZETTEER)
    assert article.entities == {"air-defense": 1, "kyiv": 2}
    assert article.kwic["air-defense"] == "**Air defense** shot down most drones over Kyiv."
    assert article.kwic["kyiv"] == "Shelling hit **Kyiv** overnight."
    assert article.tags == ["Russia-Ukraine war", "Air defense"]


def test_a_name_in_a_heading_counts_as_a_mention_but_is_not_linked():
    article = Article(id="2024-01-01-x", raw="raw/x.txt", sha256="0", format="txt")
    article.body = "## Moscow under fire\n\nDrones hit the capital.\n"
    article = link_entities(article, GAZETTEER)
    assert article.entities == {"moscow": 1}
    assert "](../entities/" not in article.body


def test_the_keyword_in_context_sentence_is_escaped_and_trimmed_around_the_mention():
    from archive_build.entities.link import MAX_KWIC, kwic_markdown

    text = "First. " + "word " * 100 + "then *Putin* spoke " + "again " * 100 + "end. Next."
    start = text.index("Putin")
    md = kwic_markdown(text, start, start + 5)
    assert "\\***Putin**\\*" in md
    assert md.startswith("… ") and md.endswith(" …")
    assert len(md) < MAX_KWIC + 20


def test_the_seed_articles_link_each_entity_once_and_list_counts_in_front_matter(seed_site: Path):
    page = (seed_site / "docs/articles/2023-05-30-drone-attacks-on-moscow-stern.md").read_text(encoding="utf-8")
    body = page.split("\n---\n", 1)[1]
    targets = re.findall(r"\]\(\.\./entities/([a-z0-9-]+)\.md\)", body)
    assert len(targets) == len(set(targets))
    assert "](../entities/sergei-shoigu.md)" in body
    assert "  kyiv: " in page.split("\n---\n", 1)[0]


def test_every_entity_page_is_built_and_the_index_links_to_each(seed_site: Path):
    site = seed_site / "site"
    index = (site / "entities/index.html").read_text(encoding="utf-8")
    pages = sorted(p.name for p in (seed_site / "docs/entities").glob("*.md") if p.name != "index.md")
    assert len(pages) >= 40
    for name in pages:
        entity_id = name[:-3]
        assert (site / "entities" / entity_id / "index.html").exists()
        assert f'href="../{entity_id}/"' in index or f'href="{entity_id}/"' in index


def test_an_entity_page_lists_each_article_with_its_sentence(seed_site: Path):
    html = (seed_site / "site/entities/james-cleverly/index.html").read_text(encoding="utf-8")
    assert "2023-05-30-drone-attack-on-moscow/" in html
    assert "2023-05-30-drone-attacks-on-moscow-stern/" in html
    assert "<strong>James Cleverly</strong>" in html
    assert "Often mentioned with" in html


def test_article_links_to_entities_resolve_to_built_pages(seed_site: Path):
    site = seed_site / "site"
    html = (site / "articles/2023-05-30-drone-attack-on-moscow/index.html").read_text(encoding="utf-8")
    hrefs = set(re.findall(r'href="\.\./\.\./entities/([a-z0-9-]+)/"', html))
    assert hrefs
    for h in hrefs:
        assert (site / "entities" / h / "index.html").exists()


# --- properties -------------------------------------------------------------

from hypothesis import given, settings
from hypothesis import strategies as st

from testkit.examples import examples

_FRAGMENTS = st.sampled_from(
    [
        "Putin", "Vladimir Putin", "Kyiv", "Kiev", "Moscow", "AT\\&T", "Putin’s", " ", " ", "\n", "\n\n", "## ", "# ",
        "`", "`Kyiv`", "[", "]", "(", ")", "[Kyiv](https://x.org/Kyiv)", "[^ann-1]", "[^n]: Kyiv\n", "<mark class=\"Kyiv\">",
        "</mark>", "*", "_", "\\*", "\\[", "{: .dateline }", "{ .x }", "https://kyiv.ua/Moscow", "&amp;", "Putinism", "-", ".",
        "```\n", "    ", "=", "===\n", "<a href=\"x\">Moscow</a>", "air defense", "Air defense",
    ]
)
_UNLINK = re.compile(r"\[([^\[\]]*?)\]\(\.\./entities/[a-z0-9-]+\.md\)\{ \.ab-entity \}")


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(_FRAGMENTS, max_size=40).map("".join))
def test_linking_only_wraps_text_in_links_and_links_each_entity_at_most_once(body: str):
    out, _ = link_body(body, M)
    assert _UNLINK.sub(r"\1", out) == body
    targets = re.findall(r"\]\(\.\./entities/([a-z0-9-]+)\.md\)\{ \.ab-entity \}", out)
    assert len(targets) == len(set(targets))


def _render(markdown_text: str) -> str:
    import markdown

    md = markdown.Markdown(extensions=["attr_list", "footnotes", "md_in_html", "pymdownx.escapeall", "pymdownx.mark", "pymdownx.superfences"])
    # Python-Markdown drops the spaces that start the line after a hard break when
    # inline markup follows them (a link, but also *emphasis*), and keeps them before
    # plain text; a browser shows neither. Found by this test: "PutinPutin    \n Putin".
    return re.sub(r"<br />\n[ \t]+", "<br />\n", md.convert(markdown_text))


_ENTITY_ANCHOR = re.compile(r'<a class="ab-entity" href="\.\./entities/[a-z0-9-]+\.md">(.*?)</a>', re.S)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(_FRAGMENTS, max_size=30).map("".join))
def test_linked_markdown_renders_like_the_original_plus_entity_links(body: str):
    out, _ = link_body(body, M)
    assert _ENTITY_ANCHOR.sub(r"\1", _render(out)) == _render(body)


_PLAIN_PIECES = st.sampled_from(["Putin", "Kyiv", "Kiev", "Moscow", "AT&T", "air defense", " ", "\n", "\n\n", "’s", "-"]) | st.text(
    alphabet="#*_[]()`{}<>&!=^~|\\:. -’'\n", max_size=4
)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(_PLAIN_PIECES, max_size=25).map("".join))
def test_escaped_plain_text_renders_like_the_original_plus_entity_links(text: str):
    from archive_build.markdown.escape import escape_text

    body = escape_text(text)
    out, _ = link_body(body, M)
    assert _ENTITY_ANCHOR.sub(r"\1", _render(out)) == _render(body)


def test_a_mention_after_an_escaped_backslash_and_a_bang_is_not_made_an_image():
    # "\\!" is a literal backslash then "!": a link right after it would read as an image.
    body = "Said \\\\!Putin today."
    out, _ = link_body(body, M)
    assert "<img" not in _render(out)


def test_a_mention_before_a_paragraph_attribute_list_followed_by_a_link_is_not_linked():
    # attr_list reads "{: .dateline }" from the paragraph's leading text only;
    # a link before it would move it into that link's tail (found by the property test).
    body = "Putin\n{: .dateline }[Kyiv](https://x.org/Kyiv)"
    out, _ = link_body(body, M)
    assert _ENTITY_ANCHOR.sub(r"\1", _render(out)) == _render(body)


def test_an_underline_inside_a_paragraph_does_not_end_a_code_span_for_the_linker():
    # Python-Markdown reads "text\n===" as a heading only at the start of a block;
    # inside a paragraph the code span runs on across it, and nothing in it is linked.
    body = "===\n`[^n]: Kyiv\n===\nPutin`"
    out, _ = link_body(body, M)
    assert out == body


def test_a_fence_line_with_no_closing_fence_does_not_end_a_code_span_for_the_linker():
    # Without a closing fence "```" is paragraph text, and here it closes the code span opened by "Putin```".
    out, _ = link_body("Putin```\n`Kyiv`\n```\n", M)
    assert _ENTITY_ANCHOR.sub(r"\1", _render(out)) == _render("Putin```\n`Kyiv`\n```\n")


@settings(max_examples=examples(400), deadline=None)
@given(st.text(alphabet=st.sampled_from("ahtps:/w.\n\\`[]<&{*_~=^+! x"), max_size=60))
def test_trigger_pattern_matches_exactly_what_its_readable_form_does(text: str) -> None:
    """The trigger is written for speed (one character class first); this is what it must mean."""
    from archive_build.entities.link import _TRIGGER

    readable = re.compile(r"\n|[\\`\[\]<&{*_~=^+!]|https?://|www\.")
    assert [(m.span(), m.group()) for m in _TRIGGER.finditer(text)] == [(m.span(), m.group()) for m in readable.finditer(text)]


@settings(max_examples=examples(400), deadline=None)
@given(st.text(alphabet=st.sampled_from(".!?…\n ”\"’')]a\t"), max_size=60))
def test_sentence_end_pattern_matches_exactly_what_its_readable_form_does(text: str) -> None:
    from archive_build.entities.link import _SENTENCE_END

    readable = re.compile(r"[.!?…][”\"’')\]]*\s+|\n\s*\n|\n")
    assert [m.span() for m in _SENTENCE_END.finditer(text)] == [m.span() for m in readable.finditer(text)]


def test_a_run_of_backticks_opens_a_code_span_only_as_a_whole_as_python_markdown_reads_it():
    # Found by the property test above: "```" (no closing fence) opens nothing, so
    # the later "`" opens the span that the last line's "`" closes, around "Kyiv".
    body = "```\nPutin`Kyiv````\n`"
    out, _ = link_body(body, M)
    assert "(../entities/kyiv.md)" not in out
    assert _ENTITY_ANCHOR.sub(r"\1", _render(out)) == _render(body)


def test_an_articles_source_counts_as_a_mention_of_its_entity():
    article = Article(id="2024-01-01-x", raw="raw/x.txt", sha256="0", format="txt", source="Kyiv")
    article.body = "Nothing named here.\n"
    article = link_entities(article, GAZETTEER)
    assert article.entities == {"kyiv": 1} and article.kwic["kyiv"] == "*The source of this article.*"


def test_a_source_that_only_contains_an_entity_name_is_not_that_entity():
    article = Article(id="2024-01-01-x", raw="raw/x.txt", sha256="0", format="txt", source="Kyiv Independent")
    article.body = "Nothing named here.\n"
    assert link_entities(article, GAZETTEER).entities == {}
