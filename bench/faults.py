"""``make bench-faults``: every fault of ``testkit/faults.py`` on one archive at full size.

Builds killed at random moments, two builds at once, each role of the cache
damaged four ways, output folders removed or unwritable; prints trials,
healed, and every difference from a clean build.
"""
from __future__ import annotations

import argparse
import contextlib
import time
from pathlib import Path
from typing import Callable

from testkit.faults import DAMAGE, Faults, Trial, can_make_read_only, roles


def campaign(base: Path, *, n: int, kills: int, per_role: int | None, seed: int = 1, log: Callable[[str], None] | None = None) -> list[Trial]:
    """Every fault, on one archive: ``kills`` kills, concurrent builds, each role's cache files damaged four ways, output folders.

    ``per_role``: how many files of each role of the cache are damaged one by
    one (None: all the role's files picked at random at once, one trial per way).
    """
    f = Faults.start(base, n, seed, timed=True)
    say = log or (lambda _line: None)

    def logged(trial: Trial) -> None:
        say(f"{'healed' if trial.healed else 'NOT HEALED'}: {trial.kind}, {trial.detail}" + "".join(f"\n    {d}" for d in trial.differences[:10] + trial.notes))

    for _ in range(kills):
        logged(f.kill())
    logged(f.concurrent())
    logged(f.refused())
    cache = f.root / ".cache" / "archive-build"
    for how in DAMAGE:
        by_role = roles(f.cache_files(), cache)
        if per_role is None:
            logged(f.damage([f.rng.choice(paths) for paths in by_role.values()], how))
            continue
        for paths in by_role.values():
            for path in f.rng.sample(paths, min(per_role, len(paths))):
                if path.exists():
                    logged(f.damage([path], how))
    for folder in ("docs/articles", "docs/entities", "docs/browse", "site-data"):
        logged(f.missing(folder))
    logged(f.missing("docs/articles", "docs/entities", "docs/browse", "docs/data", "docs/.generated", "site-data"))
    if can_make_read_only(base):
        for folder in ("docs", "docs/entities", "site-data"):
            logged(f.unwritable(folder))
    else:
        say("skipped: output folders cannot be made read-only here")
    logged(f.cache_not_a_folder())
    return f.trials


def summary(trials: list[Trial]) -> str:
    healed = sum(t.healed for t in trials)
    kinds: dict[str, list[Trial]] = {}
    for t in trials:
        kinds.setdefault(t.kind, []).append(t)
    lines = [f"trials {len(trials)}, healed {healed}, differences from a clean build {sum(len(t.differences) for t in trials)}"]
    for kind, ts in kinds.items():
        lines.append(f"  {kind}: {len(ts)} trials, {sum(t.healed for t in ts)} healed")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Fault-injection bench: kills, concurrent builds, damaged cache, unwritable or missing output.")
    p.add_argument("-n", type=int, default=300, help="articles in the archive")
    p.add_argument("--kills", type=int, default=30)
    p.add_argument("--per-role", type=int, default=2, help="cache files of each kind damaged one by one, each way")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", type=Path, help="work here and keep it (default: a temporary folder)")
    args = p.parse_args(argv)
    import tempfile

    with contextlib.ExitStack() as stack:
        base = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-faults-")))
        began = time.perf_counter()
        trials = campaign(base, n=args.n, kills=args.kills, per_role=args.per_role, seed=args.seed, log=lambda line: print(line, flush=True))
        print(summary(trials))
        print(f"{time.perf_counter() - began:.0f} s")
    return 0 if all(t.healed for t in trials) else 1


if __name__ == "__main__":
    raise SystemExit(main())
