"""The gazetteer (entities.yml): what a valid one holds, and every mistake reported as file:line."""
from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

from archive_build.entities import load_gazetteer
from archive_build.entities.gazetteer import parse_gazetteer
from archive_build.safe_yaml import load_text

from .conftest import ROOT, run_cli


def problems_for(yaml_text: str) -> list[str]:
    text = textwrap.dedent(yaml_text).lstrip()
    _, problems = parse_gazetteer(load_text(text, "entities.yml"), "entities.yml")
    return [str(p) for p in problems]


def test_the_seed_gazetteer_is_valid_and_has_at_least_40_entities():
    gazetteer, problems = load_gazetteer(ROOT / "entities.yml", "entities.yml")
    assert problems == []
    assert len(gazetteer) >= 40


def test_the_seed_gazetteer_knows_both_spellings_of_contested_names():
    gazetteer, _ = load_gazetteer(ROOT / "entities.yml", "entities.yml")
    names = {e.id: set(e.names) for e in gazetteer.entities.values()}
    assert {"Kyiv", "Kiev"} <= names["kyiv"]
    assert {"Zelensky", "Zelenskyy"} <= names["volodymyr-zelensky"]
    assert {"Pantsir", "Panzir"} <= names["pantsir"]
    assert {"Putin", "Vladimir Putin"} <= names["vladimir-putin"]


def test_the_gazetteer_survives_pickling_for_worker_processes():
    gazetteer, _ = load_gazetteer(ROOT / "entities.yml", "entities.yml")
    assert gazetteer.matcher.find("Putin")  # build the automaton, then pickle
    copy = pickle.loads(pickle.dumps(gazetteer))
    assert copy.entities == gazetteer.entities
    assert [m.entity for m in copy.matcher.find("Kiev and Putin")] == ["kyiv", "vladimir-putin"]


def test_an_alias_claimed_by_two_entities_is_an_error_on_the_second_claims_line():
    problems = problems_for(
        """
        entities:
          - id: georgia-country
            name: Georgia
            kind: place
          - id: georgia-state
            name: Georgia (US state)
            kind: place
            aliases: [Georgia]
        """
    )
    assert problems == ["entities.yml:8: error: alias 'Georgia' is claimed by both 'georgia-country' (line 2) and 'georgia-state'"]


def test_a_duplicate_id_is_an_error_naming_the_first_line():
    problems = problems_for(
        """
        entities:
          - id: moscow
            name: Moscow
            kind: place
          - id: moscow
            name: Moskva
            kind: place
        """
    )
    assert problems == ["entities.yml:5: error: duplicate id 'moscow' (first used on line 2)"]


def test_an_unknown_kind_is_an_error_listing_the_allowed_kinds():
    problems = problems_for(
        """
        entities:
          - id: pantsir
            name: Pantsir
            kind: weapon
        """
    )
    assert problems == ["entities.yml:4: error: unknown kind 'weapon'; allowed: person, place, organization, event, topic"]


def test_an_unknown_key_is_an_error_on_its_line():
    problems = problems_for(
        """
        entities:
          - id: nato
            name: NATO
            kind: organization
            alias: [North Atlantic Alliance]
        """
    )
    assert len(problems) == 1
    assert problems[0].startswith("entities.yml:5: error: unknown key 'alias'")


def test_a_bad_wikidata_id_and_an_id_that_cannot_be_a_file_name_are_errors():
    problems = problems_for(
        """
        entities:
          - id: Kyiv City
            name: Kyiv
            kind: place
            wikidata: kyiv
        """
    )
    assert any(p.startswith("entities.yml:2: error: id 'Kyiv City'") for p in problems)
    assert any(p.startswith("entities.yml:5: error: wikidata must be a Q-id") for p in problems)


def test_the_id_of_the_entity_index_page_is_reserved():
    problems = problems_for(
        """
        entities:
          - id: index
            name: Index
            kind: topic
        """
    )
    assert problems == ["entities.yml:2: error: id 'index' is reserved (entities/index.md is the list of all entities)"]


def test_a_missing_gazetteer_is_empty_not_an_error(tmp_path: Path):
    gazetteer, problems = load_gazetteer(tmp_path / "entities.yml", "entities.yml")
    assert len(gazetteer) == 0 and problems == []


def test_check_reports_a_broken_gazetteer_with_file_and_line_and_fails(empty_project: Path):
    (empty_project / "entities.yml").write_text(
        "entities:\n  - id: kyiv\n    name: Kyiv\n    kind: city\n  - id: kiev\n    name: Kiev\n    kind: place\n    aliases: [Kyiv]\n",
        encoding="utf-8",
    )
    proc = run_cli(empty_project, "check")
    assert proc.returncode == 1
    assert "entities.yml:4: error: unknown kind 'city'" in proc.stderr
    assert "Traceback" not in proc.stderr
