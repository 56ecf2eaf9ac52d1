"""The table benchmarks/run prints: one city, or (--scale) two side by side with the growth of each
command as a ratio; then the targets, each met / NOT met / n/a (not measured in this run).

    python benchmarks/table.py [--docs docs/performance.md] ROWS [ROWS_LARGE]

A rows file holds "@key=value" lines (the city and the run), one "name|median|runs|note|rss_kb|
cpu_s" line per row, and one "@pair=…" line per ratio taken side by side (pairs.py). A target
that is a ratio of two commands reads its pair when the run measured it, else the two rows. With
--docs the printed text is also written between the "benchmark run" markers of that file.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

START, END = "<!-- benchmark run: start -->", "<!-- benchmark run: end -->"
PEER = "check-jsonschema (peer)"
GB = 1024 * 1024  # in kB, as ru_maxrss counts


@dataclass
class Row:
    name: str
    median: float | None
    shown: str  # the median, or why there is none
    runs: str
    note: str
    rss_kb: int | None
    cpu_s: float | None


@dataclass
class Pair:
    """A ratio A ÷ B taken side by side (pairs.py): the median of the pairs' ratios."""

    name: str
    runs: int
    wall: float | None
    cpu: float | None
    walls: list[float]
    cpus: list[float]
    a_s: float | None
    b_s: float | None
    failed: str = ""


@dataclass
class City:
    meta: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    pairs: dict[str, Pair] = field(default_factory=dict)

    def get(self, name: str) -> Row | None:
        return next((r for r in self.rows if r.name == name and r.median is not None), None)

    def median(self, name: str) -> float | None:
        row = self.get(name)
        return row.median if row else None


def read(path: Path) -> City:
    city = City()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("@pair="):
            pair = _pair(line.removeprefix("@pair="))
            city.pairs[pair.name] = pair
        elif line.startswith("@"):
            key, _, value = line[1:].partition("=")
            city.meta[key] = value
        elif line:
            name, m, runs, note, rss, cpu = (line.split("|") + [""] * 6)[:6]
            number = m[:1].isdigit()
            city.rows.append(
                Row(
                    name,
                    float(m) if number else None,
                    f"{float(m):.3f}" if number else m,
                    runs,
                    note,
                    int(rss) if rss else None,
                    float(cpu) if cpu else None,
                )
            )
    return city


def _pair(text: str) -> Pair:
    name, *rest = text.split("|")
    if len(rest) < 7:
        return Pair(name, 0, None, None, [], [], None, None, failed=rest[0] if rest else "no result")
    runs, wall, cpu, walls, cpus, a_s, b_s = rest[:7]

    def number(x: str) -> float | None:
        return float(x) if x else None

    def numbers(x: str) -> list[float]:
        return [float(v) for v in x.split(",") if v]

    return Pair(
        name, int(runs), number(wall), number(cpu), numbers(walls), numbers(cpus), number(a_s), number(b_s)
    )


def pairs_table(city: City, out: list[str]) -> None:
    if not city.pairs:
        return
    out.append("")
    out.append(
        f"Ratios taken side by side on the {city.meta['cases']}-case city (A and B in turn, the order "
        "alternating; median of the pairs' ratios):"
    )
    out.append("| A ÷ B | pairs | wall ratio | wall ratios | CPU ratio | A median (s) | B median (s) |")
    out.append("|---|---:|---:|---|---:|---:|---:|")
    for p in city.pairs.values():
        if p.failed:
            out.append(f"| {p.name} | | {p.failed} | | | | |")
            continue

        def f(x: float | None, digits: int = 2) -> str:
            return "" if x is None else f"{x:.{digits}f}"

        spread = f"{min(p.walls):.2f}–{max(p.walls):.2f}" if p.walls else ""
        out.append(
            f"| {p.name} | {p.runs} | {f(p.wall)} | {spread} | {f(p.cpu)} | {f(p.a_s, 3)} | {f(p.b_s, 3)} |"
        )


def mb(row: Row | None) -> str:
    return "" if row is None or row.rss_kb is None else f"{row.rss_kb / 1024:.0f}"


def header(city: City, out: list[str]) -> None:
    m = city.meta
    git = f", committed in {m['git']} s" if m.get("git") else ""
    out.append(
        f"city: {m['cases']} cases × {m['years']} years ending FY{m['end_fy']}: {m['files']} files "
        f"(generated in {m.get('generated') or '?'} s{git}); agenda {m['meeting']}, log {m['case']}; "
        f"load average before {m['load_before']}, after {m['load_after']}"
        + (f"; rows: {m['only']}" if m.get("only") else "")
    )


def one_table(city: City, out: list[str]) -> None:
    peer = city.median(PEER)
    out.append("| command | median (s) | runs | × peer | peak RSS (MB) | CPU (s) | note |")
    out.append("|---|---:|---:|---:|---:|---:|---|")
    for r in city.rows:
        ratio = f"{r.median / peer:.2f}" if peer and r.median is not None and r.name != PEER else ""
        cpu = "" if r.cpu_s is None else f"{r.cpu_s:.1f}"
        out.append(f"| {r.name} | {r.shown} | {r.runs} | {ratio} | {mb(r)} | {cpu} | {r.note} |")


def scale_table(small: City, large: City, out: list[str]) -> None:
    s, ll = small.meta["cases"], large.meta["cases"]
    out.append(
        f"| command | {s}: median (s) | {ll}: median (s) | {ll} ÷ {s} | {s}: RSS (MB) | {ll}: RSS (MB) |"
    )
    out.append("|---|---:|---:|---:|---:|---:|")
    names = [r.name for r in small.rows] + [
        r.name for r in large.rows if r.name not in {x.name for x in small.rows}
    ]
    for name in names:
        a = next((r for r in small.rows if r.name == name), None)
        b = next((r for r in large.rows if r.name == name), None)
        ratio = f"{b.median / a.median:.1f}" if a and b and a.median and b.median is not None else ""
        out.append(
            f"| {name} | {a.shown if a else ''} | {b.shown if b else ''} | {ratio} | {mb(a)} | {mb(b)} |"
        )


def targets(city: City, out: list[str]) -> None:
    def target(label: str, ok: bool | None) -> None:
        out.append(f"- {label}: {'n/a' if ok is None else ('met' if ok else 'NOT met')}")

    def ratio(a: float | None, b: float | None) -> str:
        return f" ({a / b:.2f}×)" if a is not None and b else ""

    med = city.median
    peer = med(PEER)
    cold, warm = med("validate (cold)"), med("validate (warm)")
    target(
        "cold validate faster than check-jsonschema's schema checks",
        None if not (cold and peer) else cold < peer,
    )
    target("warm validate ≤ 10 % of cold", None if not (cold and warm) else warm <= 0.10 * cold)

    def compared(
        label: str, limit: float, pair: str, a: float | None, b: float | None, cpu: bool = False
    ) -> None:
        """A ratio target: by its pair when measured side by side, else by its two rows."""
        side = city.pairs.get(pair)
        value = None if side is None else (side.cpu if cpu else side.wall)
        if value is not None:
            target(
                f"{label} ({value:.2f}× side by side{'' if a is None or not b else f'; rows {a / b:.2f}×'})",
                value <= limit,
            )
        else:
            target(f"{label}{ratio(a, b)}", None if a is None or not b else a <= limit * b)

    def warm_query(name: str) -> None:
        """A warm query ≤ 1 s as the town runs it: on its own, or — where a look at every file
        costs more than that (git's own `git status` is the floor of one) — with jushou's
        watcher, the setup docs/performance.md gives a town of a million files, as git's
        fsmonitor is git's. Both figures are printed whenever both were measured."""
        plain, watched = med(name), med(f"{name} (warm, watched)")
        shown = [f"{plain:.3f} s without a watcher"] if plain is not None else []
        if watched is not None:
            shown.append(f"{watched:.3f} s with jushou watch")
        if plain is not None and plain > 1.0 and status is not None:
            shown.append(f"git status {status:.3f} s")
        measured = [x for x in (plain, watched) if x is not None]
        ok = min(measured) <= 1.0 if measured else None
        target(f"{name} (warm) ≤ 1 s" + (f" ({'; '.join(shown)})" if shown else ""), ok)

    status = med("git status (floor)")
    compared("warm validate, nothing changed, ≤ 2× git status", 2, "warm validate ÷ git status", warm, status)
    due, edited = med("due"), med("due (one file edited, uncommitted)")
    compared(
        "warm due with one uncommitted edited file ≤ 1.2× the clean warm due",
        1.2,
        "due, one uncommitted edited file ÷ clean due",
        edited,
        due,
    )
    cold_row, floor_row = city.get("validate (cold)"), city.get("libyaml parse floor")
    cold_cpu = cold_row.cpu_s if cold_row else None
    floor_cpu = floor_row.cpu_s if floor_row else None
    pair = "cold validate ÷ libyaml parse floor"
    compared("cold validate CPU ≤ 1.5× the parse floor's CPU", 1.5, pair, cold_cpu, floor_cpu, cpu=True)
    floor = med("libyaml parse floor")
    compared("cold validate wall ≤ 1.0× the parse floor's wall", 1.0, pair, cold, floor)
    jushou = [r for r in city.rows if r.rss_kb is not None and "floor" not in r.name and r.name != PEER]
    jushou = [r for r in jushou if r.name != "minimal typer app --help"]
    worst = max(jushou, key=lambda r: r.rss_kb or 0, default=None)
    target(
        "every command's peak RSS ≤ 1.5 GB" + (f" (largest: {worst.name}, {mb(worst)} MB)" if worst else ""),
        None if worst is None else (worst.rss_kb or 0) <= 1.5 * GB,
    )
    for name in ("indicators", "due", "case list"):
        warm_query(name)
    agenda = med("agenda")
    target("agenda (warm) ≤ 1 s", None if agenda is None else agenda <= 1.0)
    hand, weasy = med("handout (warm)"), med("WeasyPrint alone (floor)")
    compared(
        "handout (warm) ≤ 1.15× WeasyPrint alone on its HTML",
        1.15,
        "handout (warm) ÷ WeasyPrint alone",
        hand,
        weasy,
    )
    batch = [r.median for r in city.rows if r.name.startswith("handout batch") and r.median]
    nproc = city.meta.get("nproc", "?")
    target(
        f"handout batch ≥ 1.6× faster with {nproc} workers than with 1"
        + (f" ({batch[0] / batch[1]:.2f}×)" if len(batch) == 2 else ""),
        None if len(batch) != 2 else batch[0] >= 1.6 * batch[1],
    )
    helps = med("jushou --help"), med("minimal typer app --help")
    target(
        "jushou --help within 1.5× of a minimal typer app",
        None if None in helps else (helps[0] or 0) <= 1.5 * (helps[1] or 0),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="table.py")
    parser.add_argument("--docs", default="", help="write the text between this file's markers too")
    parser.add_argument("rows", type=Path, nargs="+")
    args = parser.parse_args(argv)
    cities = [read(p) for p in args.rows]
    first = cities[0].meta
    run = f"{first['nproc']} cores — {first['timer']} — commit {first['commit']}"
    out = [f"jushou benchmark — {date.today()} — {run}"]
    for city in cities:
        header(city, out)
    out.append("")
    if len(cities) == 1:
        one_table(cities[0], out)
    else:
        scale_table(cities[0], cities[1], out)
    for city in cities:
        pairs_table(city, out)
    skipped = [r.name for c in cities for r in c.rows if r.shown.startswith("skipped")]
    if skipped:
        out.append(f"\n{', '.join(sorted(set(skipped)))}: skipped in this run (BENCH_PEER=0).")
    for city in cities:
        out.append(f"\nTargets on the {city.meta['cases']}-case city:")
        targets(city, out)
    if len(cities) == 2:
        out.append("")
        for city in cities:
            out.append(f"{city.meta['cases']} cases, every row:")
            one_table(city, out)
            out.append("")
    text = "\n".join(out).rstrip("\n")
    print("\n" + text)
    if args.docs:
        page = Path(args.docs).read_text(encoding="utf-8")
        if START in page and END in page:
            head, rest = page.split(START, 1)
            _, tail = rest.split(END, 1)
            Path(args.docs).write_text(f"{head}{START}\n```\n{text}\n```\n{END}{tail}", encoding="utf-8")
            print(f"\nwritten into {args.docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
