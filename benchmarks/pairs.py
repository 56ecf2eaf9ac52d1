"""A ratio taken side by side: runs two commands in turn — A B, B A, A B, … — and prints the
median of each pair's ratio A ÷ B, by wall time and by CPU.

    python -m benchmarks.pairs --name NAME --runs 5 [--a-prepare CMD] [--b-prepare CMD] \\
        --a 'CMD ARG…' --b 'CMD ARG…' >> ROWS

Issue 19's targets are ratios of two measurements (warm validate ÷ `git status`, cold validate ÷
the libyaml parse floor, a handout ÷ WeasyPrint alone, …). Measured as two rows minutes apart on
a machine whose speed changes within minutes, a ratio moved from 0.77 to 1.33 between two runs of
the same code (docs/performance.md). Taken as pairs of neighbouring runs, each ratio compares two
commands under the same conditions; the order alternates within the pairs, so a machine that
speeds up or slows down favours neither side, and the median of the pairs' ratios is what the
targets read.

Each side first runs `--warmup` times untimed (1 by default: a warm command's warm-up; 0 for
a cold command, whose prepare empties the cache anyway). A prepare command (e.g. deleting
jushou's cache for a cold run) runs before every run of its side and is not timed. CPU is the
user + system time of the command and every process it waited for (getrusage of the children).
A command that exits with neither 0 nor 1 stops the measurement: the line then says it failed.

The line printed is the rows-file line table.py reads:
``@pair=NAME|runs|wall ratio|cpu ratio|wall ratios,…|cpu ratios,…|A median s|B median s``.
"""

from __future__ import annotations

import argparse
import resource
import shlex
import statistics
import subprocess
import sys
import time


class Failed(Exception):
    pass


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_once(command: list[str], prepare: list[str] | None) -> tuple[float, float]:
    """(wall s, CPU s) of one run of `command`, after `prepare` (not timed)."""
    if prepare:
        subprocess.run(prepare, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    cpu = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise Failed(f"{shlex.join(command)} exited with {proc.returncode}")
    return wall, _children_cpu() - cpu


def measure(
    a: list[str],
    b: list[str],
    runs: int,
    a_prepare: list[str] | None,
    b_prepare: list[str] | None,
    warmup: int = 1,
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """`runs` pairs of ((A wall, A CPU), (B wall, B CPU)); A first in even pairs, B in odd."""
    for _ in range(warmup):
        run_once(a, a_prepare)
        run_once(b, b_prepare)
    pairs = []
    for i in range(runs):
        if i % 2 == 0:
            first = run_once(a, a_prepare)
            pairs.append((first, run_once(b, b_prepare)))
        else:
            second = run_once(b, b_prepare)
            pairs.append((run_once(a, a_prepare), second))
    return pairs


def line(name: str, pairs: list[tuple[tuple[float, float], tuple[float, float]]]) -> str:
    walls = [pa[0] / pb[0] for pa, pb in pairs if pb[0] > 0]
    cpus = [pa[1] / pb[1] for pa, pb in pairs if pb[1] > 0]
    a_wall = statistics.median(pa[0] for pa, _ in pairs)
    b_wall = statistics.median(pb[0] for _, pb in pairs)

    def shown(ratios: list[float]) -> str:
        return f"{statistics.median(ratios):.3f}" if ratios else ""

    return "|".join(
        [
            f"@pair={name}",
            str(len(pairs)),
            shown(walls),
            shown(cpus),
            ",".join(f"{r:.3f}" for r in walls),
            ",".join(f"{r:.3f}" for r in cpus),
            f"{a_wall:.3f}",
            f"{b_wall:.3f}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pairs.py", description=__doc__.split("\n")[0])
    parser.add_argument("--name", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs of each side first")
    parser.add_argument("--a", required=True, help="the command measured (shell words)")
    parser.add_argument("--b", required=True, help="the command it is compared with (shell words)")
    parser.add_argument("--a-prepare", default=None)
    parser.add_argument("--b-prepare", default=None)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    split = shlex.split
    try:
        pairs = measure(
            split(args.a),
            split(args.b),
            args.runs,
            split(args.a_prepare) if args.a_prepare else None,
            split(args.b_prepare) if args.b_prepare else None,
            args.warmup,
        )
    except Failed as exc:
        print(f"@pair={args.name}|failed ({exc})")
        return 0
    print(line(args.name, pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
