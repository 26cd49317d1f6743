"""Citations built from front matter: Chicago plain text, BibTeX, CSL-JSON."""
from __future__ import annotations

import bibtexparser

from archive_build import cite

PAGE = "https://archive.example.org/articles/a/"


def meta(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"id": "a", "title": "Drone attacks on Moscow", "authors": ["Jane Doe"], "date": "2023-05-30", "source": "Stern", "url": "https://stern.example/x"}
    base.update(kw)
    return base


def test_chicago_entry_has_author_title_source_date_and_original_url() -> None:
    assert cite.chicago(meta(), PAGE) == "Doe, Jane. \u201cDrone attacks on Moscow.\u201d Stern, May 30, 2023. https://stern.example/x."


def test_chicago_lists_two_authors_with_only_the_first_inverted() -> None:
    assert cite.chicago(meta(authors=["Jane Doe", "Bob Smith"]), PAGE).startswith("Doe, Jane, and Bob Smith. ")


def test_chicago_without_author_or_date_starts_with_title_and_says_nd() -> None:
    assert cite.chicago(meta(authors=[], date=None), PAGE) == "\u201cDrone attacks on Moscow.\u201d Stern, n.d. https://stern.example/x."


def test_chicago_falls_back_to_the_archived_copy_without_an_original_url() -> None:
    assert cite.chicago(meta(url=None), PAGE).endswith(f" {PAGE}.")


def test_chicago_turns_double_quotes_inside_the_title_into_single_ones() -> None:
    assert "\u201cPutin calls it \u2018terror\u2019.\u201d" in cite.chicago(meta(title='Putin calls it "terror"'), PAGE)


def test_chicago_keeps_a_question_mark_instead_of_adding_a_period() -> None:
    assert "\u201cWho sent the drones?\u201d Stern" in cite.chicago(meta(title="Who sent the drones?"), PAGE)


def test_bibtex_entry_parses_back_to_the_same_fields() -> None:
    entry = bibtexparser.loads(cite.bibtex(meta(authors=["Jane Doe", "Bob Smith"]), PAGE, "Reading Archive")).entries[0]
    assert entry["ID"] == "a"
    assert entry["ENTRYTYPE"] == "article"
    assert entry["author"] == "Doe, Jane and Smith, Bob"
    assert entry["journal"] == "Stern"
    assert (entry["year"], entry["date"]) == ("2023", "2023-05-30")
    assert entry["url"] == "https://stern.example/x"


def test_bibtex_escapes_special_characters_so_they_print_as_written() -> None:
    text = cite.bibtex(meta(title="50% of {drones} & #1 cost $5_000"), PAGE)
    assert r"title = {{50\% of \{drones\} \& \#1 cost \$5\_000}}," in text


def test_bibtex_braces_a_name_that_contains_and() -> None:
    assert "author = {{Smith and Sons}}," in cite.bibtex(meta(authors=["Smith and Sons"]), PAGE)


def test_bibtex_escapes_a_backslash_as_textbackslash_with_its_braces_intact() -> None:
    assert cite.bibtex_escape("C:\\drones {x}") == r"C:\textbackslash{}drones \{x\}"


def render_csl(authors: list[str]) -> str:
    """The bibliography entry citeproc-py renders from the CSL-JSON item (Harvard, plain text)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    item = cite.csl_json(meta(authors=authors), PAGE, "Reading Archive")
    bibliography = CitationStylesBibliography(CitationStylesStyle("harvard-cite-them-right", validate=True), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    return str(bibliography.bibliography()[0])


def test_a_name_with_a_suffix_is_cited_by_its_family_name() -> None:
    assert render_csl(["Martin Luther King Jr."]).startswith("King, M.L., Jr.")


def test_a_name_with_a_particle_keeps_it_with_the_family_name() -> None:
    assert render_csl(["Ursula von der Leyen"]).startswith("von der Leyen, U.")


def test_an_organisation_is_cited_by_its_whole_name() -> None:
    assert render_csl(["Associated Press"]).startswith("Associated Press (2023)")


def test_people_and_organisations_in_bibtex_read_back_as_such() -> None:
    from bibtexparser.customization import splitname

    entry = bibtexparser.loads(cite.bibtex(meta(authors=["Martin Luther King Jr.", "Ursula von der Leyen", "Associated Press"]), PAGE)).entries[0]
    king, leyen, ap = entry["author"].split(" and ")
    assert splitname(king) == {"first": ["Martin", "Luther"], "von": [], "last": ["King"], "jr": ["Jr."]}
    assert splitname(leyen) == {"first": ["Ursula"], "von": ["von", "der"], "last": ["Leyen"], "jr": []}
    assert splitname(ap)["last"] == ["{Associated Press}"] and splitname(ap)["first"] == []


def test_chicago_inverts_only_the_first_person_and_never_an_organisation() -> None:
    assert cite.chicago(meta(authors=["Martin Luther King Jr.", "Associated Press"]), PAGE).startswith("King, Martin Luther, Jr., and Associated Press. ")
    assert cite.chicago(meta(authors=["Associated Press"]), PAGE).startswith("Associated Press. ")


def test_csl_item_is_a_newspaper_article_with_split_names_and_date_parts() -> None:
    item = cite.csl_json(meta(authors=["Jane Doe", "Reuters"]), PAGE, "Reading Archive")
    assert item["type"] == "article-newspaper"
    assert item["author"] == [{"family": "Doe", "given": "Jane"}, {"literal": "Reuters"}]
    assert item["issued"] == {"date-parts": [[2023, 5, 30]]}
    assert item["container-title"] == "Stern"
    assert item["archive_location"] == PAGE
