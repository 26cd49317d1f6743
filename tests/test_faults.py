"""Interrupted, concurrent or damaged builds heal, and every failure is one line (``testkit/faults.py`` at a small size).

Each test runs one kind of fault on a synthetic archive that changes from
trial to trial (articles, annotations and the gazetteer), then one ordinary
build, and compares every generated file with a clean build of the same
inputs byte for byte.  ``make bench-faults`` runs the same trials at full size.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from testkit.faults import DAMAGE, Faults, Trial, can_make_read_only, roles

pytestmark = pytest.mark.slow  # every test builds a 70-article archive several times

# Above build.POOL_THRESHOLD: the worker pool, the background process and the forked renderers all run.
N = 70
KILLS = 5


def healed(trials: list[Trial]) -> str:
    """An assertion's message: every trial that did not heal, with why."""
    return "\n".join(f"{t.kind}, {t.detail}: {t.differences[:10]} {t.notes}" for t in trials if not t.healed)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Faults:
    """The archive built once; each test starts from a copy (and the clean builds it compares with are shared)."""
    return Faults.start(tmp_path_factory.mktemp("faults"), N)


@pytest.fixture()
def faults(built: Faults, tmp_path: Path) -> Faults:
    return built.copy(tmp_path / "archive", seed=len(tmp_path.name))


def test_builds_killed_at_random_moments_heal_at_the_next_build_and_leave_no_worker(faults: Faults) -> None:
    faults.time_rebuild()
    trials = [faults.kill() for _ in range(KILLS)]
    assert all(t.healed for t in trials), healed(trials)


def test_two_builds_started_at_once_both_succeed_one_after_the_other(faults: Faults) -> None:
    trial = faults.concurrent()
    assert trial.healed, healed([trial])


def test_a_build_with_no_wait_beside_a_running_one_is_refused_in_one_line_naming_it(faults: Faults) -> None:
    trial = faults.refused()
    assert trial.healed, healed([trial])


@pytest.mark.parametrize("how", DAMAGE)
def test_damaged_cache_files_are_misses_reported_once_never_published(faults: Faults, how: str) -> None:
    cache = faults.root / ".cache" / "archive-build"
    one_of_each = [paths[0] for paths in roles(faults.cache_files(), cache).values()]
    trial = faults.damage(one_of_each, how)
    assert trial.healed, healed([trial])


def test_a_damaged_cache_file_is_reported_as_one_warning_naming_it(faults: Faults) -> None:
    from testkit.faults import damage_file, run

    state = faults.root / ".cache" / "archive-build" / "state.pickle"
    damage_file(state, "flipped", faults.rng)
    proc = run(faults.root, "build", "--quiet")
    warnings = [line for line in proc.stderr.splitlines() if "damaged cache" in line]
    assert proc.returncode == 0
    assert warnings == [".cache/archive-build: warning: 1 damaged cache file ignored and rebuilt from the inputs: .cache/archive-build/state.pickle"]


def test_removed_output_folders_are_restored_by_the_next_build(faults: Faults) -> None:
    trial = faults.missing("docs/articles", "docs/entities", "docs/browse", "site-data")
    assert trial.healed, healed([trial])


@pytest.mark.parametrize("folder", ["docs", "docs/entities", "site-data"])
def test_an_unwritable_output_folder_is_one_line_naming_it_and_site_refuses_to_publish(faults: Faults, folder: str) -> None:
    if not can_make_read_only(faults.archive.base):
        pytest.skip("no way to make a folder read-only here")
    trial = faults.unwritable(folder)
    assert trial.healed, healed([trial])


def test_a_cache_folder_that_is_a_file_is_one_line_saying_to_remove_it(faults: Faults) -> None:
    trial = faults.cache_not_a_folder()
    assert trial.healed, healed([trial])


def test_entity_pages_memoised_by_a_build_killed_before_writing_them_are_written_by_the_next(tmp_path: Path) -> None:
    """The issue's stale docs/entities/: a killed build had saved the new gazetteer's pages in the cache, not in docs/."""
    from archive_build.build import collect
    from archive_build.collection import collection_pages
    from archive_build.project import Project
    from testkit.faults import outputs, run

    from .conftest import copy_project

    project = copy_project(tmp_path / "archive")
    assert run(project, "build", "--quiet").returncode == 0
    gazetteer = project / "entities.yml"
    gazetteer.write_text(gazetteer.read_text("utf-8").replace("President of Ukraine since 2019.", "President of Ukraine, described anew."), "utf-8")
    # What the killed build got done: the collection pages made (and memoised) for the new gazetteer, nothing written.
    collection_pages(Project(project), collect(Project(project), progress=False).articles)
    assert run(project, "build", "--quiet").returncode == 0
    clean = copy_project(tmp_path / "clean")
    clean.joinpath("entities.yml").write_bytes(gazetteer.read_bytes())
    assert run(clean, "build", "--quiet").returncode == 0
    assert b"described anew" in (project / "docs" / "entities" / "volodymyr-zelensky.md").read_bytes()
    assert outputs(project) == outputs(clean)
