# Two commands on a fresh machine:  make site  (or make serve)  and  make test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: install site serve test test-fast check bench bench-site bench-hooks bench-html bench-serve bench-faults bench-hostile screenshots clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# Bytecode for the package itself (pip compiles only what it copies): every
	@# `archive-build` run would otherwise compile its modules again where
	@# PYTHONDONTWRITEBYTECODE is set. Python recompiles any module edited since.
	$(BIN)/python -m compileall -q archive_build
	touch $(STAMP)

# archive-build site renders in shards on every core (-j), and nothing at all when no input changed.
site: install
	$(BIN)/archive-build build
	$(BIN)/archive-build site

serve: install
	$(BIN)/archive-build build
	ARCHIVE_BUILD_ON_SERVE=1 $(BIN)/mkdocs serve --dirty --no-strict --watch raw --watch annotations --watch entities.yml

check: install
	$(BIN)/archive-build check

# The README's screenshots of an article (docs/images/), from the site make site built.
screenshots: site
	$(BIN)/python -m tests.browser.screenshots site docs/images

# axe-core (npm) for the browser tests' accessibility checks; without npm those
# checks skip locally (CI installs npm and fails instead of skipping).
AXE_STAMP := tests/browser/node_modules/.package-lock.json

$(AXE_STAMP): tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: accessibility checks will be skipped"; fi

test: install $(AXE_STAMP)
	$(BIN)/python -m pytest -n 2

# The quick loop while editing: no whole-site builds, no browser.
test-fast: install
	ARCHIVE_TEST_FAST=1 $(BIN)/python -m pytest -n 2 -m "not slow and not browser"

# The build step (bench.scale) and the site step (bench.site_steps: render, search index, no-op,
# one annotation, against plain MkDocs) at 1,000, 10,000 and 30,000 articles, projected to 100,000.
BENCH_SIZES ?= 1000,10000,30000
bench: install
	nice $(BIN)/python -m bench.scale --sizes $(BENCH_SIZES)
	nice $(BIN)/python -m bench.site_steps --sizes $(BENCH_SIZES)

# The site step alone (BENCH_SIZES=1000 make bench-site for a quick look).
bench-site: install
	nice $(BIN)/python -m bench.site_steps --sizes $(BENCH_SIZES)

# CPU of `mkdocs build` with the archive's plugin and overrides against plain MkDocs + Material, same docs/.
bench-hooks: install
	nice $(BIN)/python -m bench.hooks

# Hostile inputs (testkit/hostile_shapes.py) at 25-400 KB: CPU seconds per step and the fitted exponent per shape.
bench-hostile: install
	nice $(BIN)/python -m bench.hostile

# HTML reader accuracy (title/byline/date/source, body F1) and speed on ../shared/corpora.
bench-html: install
	$(BIN)/python -m bench.html_extraction --zyte

# How long `make serve` takes to show an edited annotation (10,000 articles).
bench-serve: install
	$(BIN)/python -m bench.serve_latency --n 10000

# Builds killed, run two at once, their cache damaged, their output unwritable or removed; each healed build
# compared with a clean one byte for byte (tests/test_faults.py runs the same trials at a small size).
bench-faults: install
	$(BIN)/python -m bench.faults

clean:
	rm -rf site site-data docs/articles docs/entities docs/browse docs/.generated docs/data .cache tests/artifacts
