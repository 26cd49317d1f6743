"""Contributed YAML is loaded safely: no aliases, anchors, custom tags or merge keys; size-limited before parsing."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive_build.errors import InputError
from archive_build.safe_yaml import MAX_YAML_BYTES, load_file, load_text


def error(text: str) -> InputError:
    with pytest.raises(InputError) as info:
        load_text(text, "raw/x.meta.yml")
    return info.value


def test_plain_mappings_load_with_the_line_of_each_key() -> None:
    data = load_text("title: A\nsource: B\n", "x.yml")
    assert data == {"title": "A", "source": "B"} and data.key_lines == {"title": 1, "source": 2}


def test_a_billion_laughs_alias_is_refused_with_its_line() -> None:
    e = error('a: &a ["lol","lol"]\nb: [*a,*a,*a]\n')
    assert e.problem.line == 1 and "anchors" in e.problem.message


def test_an_alias_is_refused() -> None:
    assert "aliases" in error("a: x\nb: *a\n").problem.message or "alias" in str(error("a: x\nb: *a\n"))


def test_a_merge_key_is_refused() -> None:
    assert error("base: {a: 1}\nchild:\n  <<: {b: 2}\n").problem.line == 3


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['echo pwned']", "!!python/name:os.system", "!custom x", "!!binary aGVsbG8=", "!!set {a, b}"])
def test_custom_and_python_tags_are_refused(tag: str) -> None:
    assert "not allowed" in error(f"title: {tag}\n").problem.message


def test_a_duplicate_key_is_refused_with_its_line() -> None:
    e = error("title: a\ntitle: b\n")
    assert e.problem.line == 2 and "duplicate key" in e.problem.message


def test_a_syntax_error_names_its_line() -> None:
    e = error("title: ok\nsource: [unclosed\nnext: x\n")
    assert e.problem.line and "YAML error" in e.problem.message


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yml"
    big.write_bytes(b"a: [" + b"[" * (MAX_YAML_BYTES + 10))  # would recurse deeply if parsed
    with pytest.raises(InputError) as info:
        load_file(big, "annotations/big.yml")
    assert "limit" in info.value.problem.message and info.value.problem.path == "annotations/big.yml"


def test_deep_nesting_under_the_limit_is_an_error_not_a_crash() -> None:
    with pytest.raises((InputError, RecursionError)):
        load_text("a: " + "[" * 5000 + "]" * 5000 + "\n", "x.yml")


@pytest.mark.parametrize("value", ["2024-11-00", "2024-02-30", "2024-13-01"])
def test_an_impossible_date_is_an_error_at_its_line_not_a_crash(value: str) -> None:
    e = error(f"title: ok\ndate: {value}\n")
    assert e.problem.line == 2 and "not a valid date" in e.problem.message


def test_a_hex_number_without_digits_is_an_error_at_its_line_not_a_crash() -> None:
    with pytest.raises(InputError) as info:
        load_text("title: T\ncount: 0x_\n", "raw/x.meta.yml")
    assert info.value.problem.line == 2
    assert "'0x_' is not a valid number" in info.value.problem.message
