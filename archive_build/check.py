"""``archive-build check``: validate contributed files in seconds, without building.

It runs the same cleaning, anchoring and gazetteer validation as the build
(through the same cache), but writes nothing.
"""
from __future__ import annotations

from archive_build.build import collect
from archive_build.errors import Problem
from archive_build.project import Project


def check(project: Project) -> list[Problem]:
    return collect(project, progress=False, texts=False).problems
