"""What the open data needs from ``mkdocs.yml``: the site's address and name, and its URL style."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import yaml

from archive_build.opendata.packs import article_dir
from archive_build.project import Project

TREE = "data"


@dataclass(frozen=True)
class SiteInfo:
    """What the data needs from ``mkdocs.yml``: absolute URLs of pages and files."""

    url: str = "/"
    name: str = "Reading Archive"
    directory_urls: bool = True

    def page_url(self, article_id: str) -> str:
        path = f"articles/{article_id}/" if self.directory_urls else f"articles/{article_id}.html"
        return self.url + path

    def annotation_url(self, article_id: str, annotation_id: str) -> str:
        return f"{self.page_url(article_id)}#ann-{annotation_id}"

    def data_url(self, relpath: str) -> str:
        return f"{self.url}{TREE}/{relpath}"

    def text_url(self, article_id: str) -> str:
        """The article's plain text (``text.txt``): what annotation selectors count characters in."""
        return self.data_url(f"{article_dir(article_id)}/text.txt")


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without constructing the ``!!python/name:`` values some extensions use."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """MkDocs' ``!ENV VAR`` / ``!ENV [VAR, …, default]``: the first variable set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(str(loader.construct_scalar(node)))
    items = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else []
    for name in items[:-1]:
        if str(name) in os.environ:
            return os.environ[str(name)]
    return items[-1] if items else None


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_info(project: Project) -> SiteInfo:
    try:
        config = yaml.load((project.root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506
    except (OSError, yaml.YAMLError):
        return SiteInfo()
    if not isinstance(config, dict):
        return SiteInfo()
    url = str(config.get("site_url") or "/")
    if not url.endswith("/"):
        url += "/"
    return SiteInfo(url, str(config.get("site_name") or SiteInfo.name), bool(config.get("use_directory_urls", True)))
