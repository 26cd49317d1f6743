"""How many examples a property test tries.

The full run (``make test``, CI) tries every one; ``make test-fast`` sets
``ARCHIVE_TEST_FAST=1`` and tries a tenth, so the long property runs keep
their place in the quick loop without owning most of its minute.
"""
from __future__ import annotations

import os

FAST = os.environ.get("ARCHIVE_TEST_FAST") == "1"


def examples(full: int) -> int:
    """``full`` in the full run; a tenth of it (at least 20) in the fast one."""
    return max(20, full // 10) if FAST else full
