"""atheris fuzz target over contributed YAML: the safe loader and the sidecar validator.

Anything but ``InputError`` (or ``RecursionError`` on absurd nesting, which
the build reports as an error) is a crash.  Run:
``python tests/fuzz/fuzz_yaml.py -max_total_time=60``.
"""
from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from archive_build.errors import InputError
    from archive_build.ingest.sidecar import validate_sidecar
    from archive_build.pipeline import clean_article
    from archive_build.safe_yaml import load_text


def one_input(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    try:
        meta = load_text(text, "raw/x.meta.yml")
        if isinstance(meta, dict):
            side = validate_sidecar(meta, "raw/x.meta.yml")
            clean_article(b"Title\n\nSome text of the article.\n", "raw/2024-01-01-x.txt", side)
    except (InputError, RecursionError):
        pass


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
