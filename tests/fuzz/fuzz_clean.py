"""atheris fuzz target over ``inspect``'s reader and cleaner.

``clean_article(data, path)`` must either return an article or raise the
documented ``InputError`` (empty, binary, undecodable, too large); anything
else is a crash.  Run: ``python tests/fuzz/fuzz_clean.py -max_total_time=60``.
"""
from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from archive_build.errors import InputError
    from archive_build.pipeline import clean_article

EXTENSIONS = (".txt", ".md", ".html")


def one_input(data: bytes) -> None:
    if not data:
        return
    ext = EXTENSIONS[data[0] % len(EXTENSIONS)]
    try:
        clean_article(data[1:], f"raw/2024-01-01-fuzz{ext}")
    except InputError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
