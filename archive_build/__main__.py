from archive_build.cli import run

# Guarded: the build's render workers start from Python's fork server, which imports the main module again.
if __name__ == "__main__":
    run()
