"""The generated city's programme around the case (RECORDS.md, Additions): areas.yaml, a year of
community activities (地域づくり) and trainings (研修) per fiscal year. Called by generate.py after
everything else, so that the cases, records and meetings of a seed stay what they were."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from benchmarks import vocabulary as V
from benchmarks.emit import flow, scalar

# The area (V.AREAS, as resources write them: 東地区) → its id in areas.yaml.
AREA_IDS = {
    "東": "east",
    "西": "west",
    "南": "south",
    "北": "north",
    "中央": "central",
    "川沿": "riverside",
    "山手": "uptown",
    "港": "port",
}
COMMUNITY_TYPES = (
    ("salon", 30),
    ("cafe", 25),
    ("gathering", 20),
    ("platform", 10),
    ("training", 5),
    ("event", 10),
)
COURSES = ("basic", "basic", "practice", "leadership")
Write = Callable[[str, str, list[str]], None]


def area_id(written: str) -> str | None:
    """A resource's area as the vocabulary writes it (東地区, 全域) → an areas.yaml id, or None."""
    return AREA_IDS.get(written.removesuffix("地区"))


def areas(write: Write) -> None:
    out = ["# 圏域", "kind: areas", "areas:"]
    for name, area in AREA_IDS.items():
        out += [f"  - id: {area}", f"    name: {name}部圏域" if len(name) == 1 else f"    name: {name}圏域"]
    write("areas.yaml", "areas", out)


def community_and_trainings(
    write: Write, rng: random.Random, fys: list[int], cutoff: date, staff: list[str]
) -> None:
    """About two community activities a month across the areas, and four trainings a year."""
    places = [
        (rid, area_id(area), org) for rid, _, rtype, area, org in V.RESOURCES if rtype in ("place", "group")
    ]
    orgs = sorted({org for *_, org in V.RESOURCES if org})
    for fy in fys:
        start = date(fy, 4, 1)
        end = min(date(fy + 1, 3, 31), cutoff)
        span = (end - start).days
        taken: set[str] = set()
        for _ in range(24):
            day = start + timedelta(days=rng.randint(0, span))
            ctype = _pick(rng, COMMUNITY_TYPES)
            rid, area, org = rng.choice(places)
            stem = f"community/{fy}/{day.isoformat()}-{ctype}"
            rel, n = f"{stem}.yaml", 1
            while rel in taken:
                n += 1
                rel = f"{stem}-{n}.yaml"
            taken.add(rel)
            joined = sorted({org or "shakyo", *rng.sample(orgs, rng.randint(0, 2))})
            out = ["kind: community", f"type: {ctype}", f"date: {day.isoformat()}"]
            if ctype != "platform":
                out.append(f"resource: {rid}")
            if area:
                out.append(f"area: {area}")
            out += [
                f"organizations: {flow(joined)}",
                f"participants: {rng.randint(5, 40)}",
                f"staff: {flow([rng.choice(staff)])}",
            ]
            write(rel, "community", out)
        for i, course in enumerate(COURSES):
            day = start + timedelta(days=60 + 75 * i + rng.randint(0, 20))
            if day > end:
                continue
            invited = rng.randint(20, 120)
            out = [
                "kind: training",
                f"date: {day.isoformat()}",
                f"title: {scalar(f'断らない相談研修 第{i + 1}回')}",
                f"course: {course}",
                f"invited: {invited}",
                f"attended: {rng.randint(invited // 2, invited)}",
            ]
            write(f"trainings/{fy}/{day.isoformat()}.yaml", "training", out)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([w for w, _ in weighted], [n for _, n in weighted])[0]
