"""The build's one Markdown converter renders every page as MkDocs' own per-page converter does."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import load_config
from mkdocs.structure.files import File, Files, get_files
from mkdocs.structure.pages import Page

from archive_build.site.plugin.converter import Converter
from tests.conftest import ROOT


def _rendered(page: Page) -> tuple[Any, ...]:
    return (page.content, str(page.toc), page._title_from_render, sorted(page.present_anchor_ids or ()), page.links_to_anchors)


def _both_ways(config: Any, files: Files) -> list[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """Each page rendered by ``Page.render`` and by one shared ``Converter``, in turn."""
    converter = Converter(config)
    results = []
    for file in files.documentation_pages():
        own, shared = Page(None, file, config), Page(None, file, config)
        for page in (own, shared):
            page.read_source(config)
        own.render(config, files)
        converter.render(shared, config, files)
        results.append((_rendered(own), _rendered(shared)))
    return results


def test_the_shared_converter_renders_the_seed_archive_as_mkdocs_does(seed_site: Path) -> None:
    config = load_config(str(seed_site / "mkdocs.yml"))
    files = get_files(config)
    results = _both_ways(config, files)
    assert len(results) > 20
    for own, shared in results:
        assert shared == own


def test_nothing_of_one_page_carries_over_to_the_next(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(
        "# First\n\nThe WSWS said so.[^1] See [the second](b.md#later).\n\n"
        "*[WSWS]: World Socialist Web Site\n\n[^1]: A note.\n\n```\ncode\n```\n",
        encoding="utf-8",
    )
    (docs / "b.md").write_text("Untitled page: the WSWS again, no notes.[^1]\n\n## Later\n", encoding="utf-8")
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"))
    files = Files([File(name, str(docs), str(tmp_path / "site"), use_directory_urls=True) for name in ("a.md", "b.md")])
    (first_own, first_shared), (second_own, second_shared) = _both_ways(config, files)
    assert first_shared == first_own and second_shared == second_own
    content, _, title, _, _ = second_shared
    assert title is None and "<abbr" not in content and "footnote" not in content
