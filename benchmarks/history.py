"""How long `jushou log CASE` takes in a repository with thousands of commits (docs/performance.md).

    python -m benchmarks.history [--commits 3000] --out DIR [--runs 5]

Builds DIR once (a second run with the same --commits reuses it): sample_repo as the first commit,
then N commits written by one `git fast-import`, each rewriting the `summary:` of one activity
record — every other commit in HOT's records, one in 500 in COLD's, the rest spread over the other
cases — and checks the result with `jushou validate`. Then times `jushou log CASE --repo DIR`
and the bare `git log` it runs, for HOT and COLD, without and with `git commit-graph write
--reachable --changed-paths` (a fresh process each time; the median of --runs rounds that take
every variant in turn, after one untimed round), and prints a Markdown table. Standard library
only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "sample_repo"
JUSHOU = PROJECT / ".venv" / "bin" / "jushou"
HOT, COLD = "C2024-0004", "C2026-0003"
MARKER = "jushoubench.commits"  # git config key: this folder was built by this script, with N
AUTHORS = (("佐藤 恵", "sato"), ("高橋 実", "takahashi"), ("田中 陽子", "tanaka"))
START = 1711897200  # 2024-04-01 00:00 +09:00, the first commit; one commit an hour after it
SUMMARY = re.compile(r"^summary:.*\n(?:[ \t]+.*\n|\n)*", re.M)  # the key and its indented lines
# what `jushou log CASE` asks git (jushou_cli/history.py), for the bare-git column
GIT_LOG = ["-c", "core.quotePath=false", "log", "--format=%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%s", "--raw"]
GIT_LOG += ["--no-abbrev", "-M"]


def git(root: Path, *args: str, stdin: bytes | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{START} +0900", "GIT_COMMITTER_DATE": f"{START} +0900"}
    command = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    proc = subprocess.run([*command, *args], input=stdin, capture_output=True, env=env, check=True)
    return proc.stdout.decode()


def activity_records() -> dict[str, list[str]]:
    """Case id → its activity records that have a `summary:` (paths relative to the repository)."""
    found: dict[str, list[str]] = {}
    for path in sorted(SAMPLE.glob("cases/*/records/*.yaml")):
        if SUMMARY.search(path.read_text(encoding="utf-8")):
            found.setdefault(path.parts[-3], []).append(path.relative_to(SAMPLE).as_posix())
    return found


def targets(n: int) -> list[str]:
    """Which file commit i changes."""
    records = activity_records()
    others = [p for case, paths in records.items() if case not in (HOT, COLD) for p in paths]
    chosen = []
    for i in range(n):
        if i % 500 == 250:
            pool, k = records[COLD], i // 500
        elif i % 2 == 0:
            pool, k = records[HOT], i // 2
        else:
            pool, k = others, i // 2
        chosen.append(pool[k % len(pool)])
    return chosen


def data(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


def fast_import_stream(root: Path, n: int, parent: str) -> bytes:
    texts: dict[str, str] = {}
    chunks = []
    for i, rel in enumerate(targets(n)):
        text = texts.get(rel) or (root / rel).read_text(encoding="utf-8")
        texts[rel] = SUMMARY.sub(f"summary: 記録を見直した（{i + 1}回目）。次の訪問で確かめる。\n", text, 1)
        name, login = AUTHORS[i % len(AUTHORS)]
        who = f"{name} <{login}@example.invalid> {START + 3600 * (i + 1)} +0900\n".encode()
        chunks += [b"commit refs/heads/main\nauthor ", who, b"committer ", who]
        chunks.append(data(f"{rel.split('/')[1]} 支援記録の見直し {i + 1}".encode()))
        if i == 0:
            chunks.append(f"from {parent}\n".encode())
        chunks += [f"M 100644 inline {rel}\n".encode(), data(texts[rel].encode())]
    return b"".join(chunks)


def validate_errors(root: Path) -> int:
    command = [str(JUSHOU), "validate", "--repo", str(root), "--format", "json"]
    proc = subprocess.run(command, capture_output=True)
    return int(json.loads(proc.stdout)["summary"]["errors"])


def build(root: Path, n: int) -> None:
    if (root / ".git").is_dir() and git(root, "config", "--default", "", "--get", MARKER).strip() == str(n):
        print(f"{root}: reused ({n} commits after sample_repo)", file=sys.stderr)
        return
    if root.exists() and any(root.iterdir()):
        if not (root / ".git").is_dir() or not git(root, "config", "--default", "", "--get", MARKER).strip():
            sys.exit(f"history: {root} is not empty and was not built by this script; give another --out")
        shutil.rmtree(root)  # built by this script for another --commits
    started = time.perf_counter()
    shutil.copytree(SAMPLE, root, dirs_exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sample_repo（ひばり野町）")
    first = git(root, "rev-parse", "HEAD").strip()
    git(root, "fast-import", "--quiet", stdin=fast_import_stream(root, n, first))
    git(root, "reset", "-q", "--hard")  # the working tree and index at the last commit
    git(root, "config", MARKER, str(n))
    took = time.perf_counter() - started
    errors, before = validate_errors(root), validate_errors(SAMPLE)
    print(f"{root}: {n} commits built in {took:.1f} s; jushou validate: {errors} errors", file=sys.stderr)
    print(f"(sample_repo alone: {before} errors on the same day)", file=sys.stderr)
    if errors > before:
        sys.exit(f"history: the edits broke records ({errors} errors, sample_repo has {before})")


def set_commit_graph(root: Path, on: bool) -> None:
    info = root / ".git" / "objects" / "info"
    (info / "commit-graph").unlink(missing_ok=True)
    shutil.rmtree(info / "commit-graphs", ignore_errors=True)
    if on:
        git(root, "commit-graph", "write", "--reachable", "--changed-paths")


def seconds(command: list[str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.exit(f"history: {' '.join(command)} failed: {proc.stderr.decode()[-500:]}")
    return time.perf_counter() - started


def measure(root: Path, runs: int) -> dict[tuple[str, bool, str], list[float]]:
    """Seconds of each (case, commit-graph, tool). Rounds interleave every variant, so that a
    busy moment of the machine does not fall on one of them only; round 0 warms up, uncounted."""
    times: dict[tuple[str, bool, str], list[float]] = {}
    for round_ in range(runs + 1):
        for graph in (False, True):
            set_commit_graph(root, graph)
            for case in (HOT, COLD):
                commands = {
                    "jushou": [str(JUSHOU), "log", case, "--repo", str(root)],
                    "git": ["git", "-C", str(root), *GIT_LOG, "--", f"cases/{case}/"],
                }
                for tool, command in commands.items():
                    took = seconds(command)
                    if round_:
                        times.setdefault((case, graph, tool), []).append(took)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commits", type=int, default=3000, help="commits after sample_repo (3000)")
    parser.add_argument("--out", type=Path, required=True, help="where the repository is built or reused")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command (5)")
    args = parser.parse_args(argv)
    if args.commits < 300:
        parser.error("--commits: at least 300 (COLD gets one commit in 500: the 251st, 751st…)")
    if not JUSHOU.is_file():
        parser.error(f"{JUSHOU} is missing (./setup.sh --dev)")
    root = args.out.resolve()
    build(root, args.commits)
    times = measure(root, args.runs)
    total = int(git(root, "rev-list", "--count", "HEAD"))
    print("| commits | case | commits touching it | commit-graph | jushou log, median s ", end="")
    print("| git log alone, median s |\n|---:|---|---:|---|---:|---:|")
    for graph in (False, True):
        for case in (HOT, COLD):
            touching = git(root, "rev-list", "--count", "HEAD", "--", f"cases/{case}/").strip()
            jushou, bare = (statistics.median(times[case, graph, tool]) for tool in ("jushou", "git"))
            yes = "yes" if graph else "no"
            print(f"| {total} | {case} | {touching} | {yes} | {jushou:.2f} | {bare:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
