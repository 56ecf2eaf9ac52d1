"""The floors a cold `validate` is measured against (issue 19): what it costs only to read every
`.yaml` file of a repository (`cat`), and to read and parse each with libyaml's C loader in one
process (`parse`) — no positions, no checks, no model. Cold validate does both and more, so the
ratio of its time to these says how much of it is the toolkit's own work.

    python -m benchmarks.parse_floor REPO [--floor parse|cat] [--runs N]

prints one JSON line: {"files": n, "wall_s": x, "cpu_s": y} (the median run of N; cpu_s is this
process's user + system time). The file list is every `*.yaml` under REPO outside dot folders,
which is a superset of what jushou loads only by files it would report as not records.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import yaml


def yaml_files(repo: str) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(repo):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(folder, name) for name in sorted(files) if name.endswith(".yaml")]
    return found


def cat(paths: list[str]) -> int:
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            total += len(handle.read())
    return total


def parse(paths: list[str]) -> int:
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:  # a PyYAML built without libyaml: there is no C floor to measure
        raise SystemExit("PyYAML has no libyaml (yaml.CSafeLoader): the parse floor cannot be measured")
    parsed = 0
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        yaml.load(data, Loader=loader)  # CSafeLoader: the safe loader, in C
        parsed += 1
    return parsed


def measure(paths: list[str], floor: str) -> tuple[float, float]:
    work = parse if floor == "parse" else cat
    before, started = os.times(), time.perf_counter()
    work(paths)
    wall, after = time.perf_counter() - started, os.times()
    return wall, (after.user - before.user) + (after.system - before.system)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.parse_floor", description=__doc__)
    parser.add_argument("repo")
    parser.add_argument("--floor", choices=("parse", "cat"), default="parse")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    paths = yaml_files(args.repo)
    runs = [measure(paths, args.floor) for _ in range(max(1, args.runs))]
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    json.dump({"files": len(paths), "wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
