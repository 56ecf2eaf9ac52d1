"""A small stand-in for hyperfine: runs a command several times and writes the wall-clock times
in hyperfine's JSON shape (results[0].median, .times, .exit_codes), so benchmarks/run reads one
format whichever tool measured.

    python benchmarks/timeit.py --runs 5 --warmup 1 [--prepare 'rm -rf DIR'] --export-json OUT -- CMD ARG…
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import subprocess
import sys
import time


def measure(command: list[str], runs: int, warmup: int, prepare: str | None) -> dict[str, object]:
    times: list[float] = []
    codes: list[int] = []
    for i in range(warmup + runs):
        if prepare:
            subprocess.run(shlex.split(prepare), check=False)
        started = time.perf_counter()
        proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        elapsed = time.perf_counter() - started
        if i >= warmup:
            times.append(elapsed)
            codes.append(proc.returncode)
    return {
        "command": shlex.join(command),
        "mean": statistics.fmean(times),
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "times": times,
        "exit_codes": codes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=0)
    parser.add_argument("--prepare", default=None, help="run before every timed run (not timed)")
    parser.add_argument("--export-json", default=None)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command or args.runs < 1:
        parser.error("a command and --runs ≥ 1 are needed")
    result = measure(command, args.runs, args.warmup, args.prepare)
    if args.export_json:
        with open(args.export_json, "w", encoding="utf-8") as f:
            json.dump({"results": [result]}, f)
    summary = f"{result['median']:.3f} s median of {args.runs} (exit {result['exit_codes'][-1]})"
    print(summary, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
