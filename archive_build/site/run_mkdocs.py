"""``mkdocs build`` as ``archive-build site`` runs it: MkDocs' own command, then an exit that frees nothing.

After an incremental render at 10,000 articles MkDocs' process took
2.2 s more to end after "Documentation built": the interpreter freeing
every page, file and navigation object one by one, while ``archive-build
site`` waited for the exit to start the search index.  The files are
written and closed by then, and the output is flushed here before the
process ends, so nothing is lost by leaving at once (``os._exit``); a
failed build exits with MkDocs' own code and message.

    python -m archive_build.site.run_mkdocs build --strict --site-dir DIR
"""
from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    """Run MkDocs' command line on ``argv``; the exit code ``mkdocs`` itself would give."""
    import click
    from mkdocs.__main__ import cli

    try:
        cli.main(args=argv, prog_name="mkdocs", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:  # mkdocs.exceptions.Abort: "Aborted with N warnings in strict mode!"
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        return 1
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
