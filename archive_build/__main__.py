from archive_build.cli import run

run()
