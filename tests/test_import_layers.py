"""The package's imports form layers: no module imports, directly or through others, one that imports it.

Read from the source with ``ast``, so the test sees every import a module
can run, the ones deferred into functions included (a deferred import is
still a dependency; it only runs later).  Imports under ``if TYPE_CHECKING:``
never run and are left out.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "archive_build"


def _module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of a module, outside ``if TYPE_CHECKING:`` blocks."""
    found: list[ast.Import | ast.ImportFrom] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        for child in ast.iter_child_nodes(node):
            if _type_checking_only(child):
                todo.extend(child.orelse)
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append(child)
            todo.append(child)
    return found


def import_graph(package: Path = PACKAGE, unresolved: list[str] | None = None) -> dict[str, set[str]]:
    """Module name → the package's modules it imports (a submodule named in ``from . import x`` counts as itself).

    A relative import that names no module of the package is added to ``unresolved``.
    """
    paths = {_module_name(p, package): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        deps: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name in paths)
                continue
            base = ".".join(here[: len(here) - node.level + 1] + ([node.module] if node.module else [])) if node.level else node.module or ""
            submodules = {f"{base}.{a.name}" for a in node.names} & paths.keys()
            if submodules and len(submodules) == len(node.names):
                deps.update(submodules)
            elif base in paths:
                deps.add(base)
                deps.update(submodules)
            elif node.level and unresolved is not None:
                unresolved.append(f"{name}: {'.' * node.level}{node.module or ''}")
        graph[name] = deps - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_the_cycle_finder_finds_a_cycle_through_three_modules() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_cycle_finder_finds_none_in_layers() -> None:
    assert cycles({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_a_deferred_import_counts_and_a_type_checking_one_does_not(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "low.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .high import H\n")
    (pkg / "high.py").write_text("def f():\n    from .low import L\n")
    assert import_graph(pkg) == {"pkg": set(), "pkg.low": set(), "pkg.high": {"pkg.low"}}


def test_every_relative_import_names_a_module_of_the_package() -> None:
    unresolved: list[str] = []
    import_graph(unresolved=unresolved)
    assert unresolved == []


def test_the_package_has_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


# The package's layers, lowest first, by top-level module or subpackage: each may import
# only from its own layer and those below.  A command (``*.commands``, ``annotations.review``)
# is a small front end over the build and may import anything; so may a name not listed here.
LAYERS: tuple[frozenset[str], ...] = tuple(frozenset(names.split()) for names in (
    # helpers every step shares: files, YAML, Markdown text, the model, the caches
    "errors failures safe_files yaml_hints safe_yaml yaml_emit markdown "
    "control_chars html_safety text cite model version project output store outcome budget",
    "ingest",  # raw files in, one Article out
    "transforms",  # Article -> Article, one article at a time
    "annotations entities writer article_warnings about",  # an article's annotations, entity links, page
    "collection opendata",  # the whole collection's pages and data, and what they need of each article
    "pipeline",  # the per-article sequence
    "build",  # the orchestrator and its worker processes
))


def _layer(module: str) -> int:
    parts = module.split(".")
    if parts[-1] == "commands" or module.endswith(".annotations.review"):
        return len(LAYERS)
    name = parts[1] if len(parts) > 1 else ""
    return next((i for i, names in enumerate(LAYERS) if name in names), len(LAYERS))


def test_no_module_imports_one_of_a_higher_layer() -> None:
    graph = import_graph()
    upward = sorted(f"{m} -> {d}" for m, deps in graph.items() for d in deps if _layer(d) > _layer(m))
    assert upward == []
