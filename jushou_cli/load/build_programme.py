"""Documents → the programme's records (model/programme.py): areas.yaml's entries, community
activities, trainings and jushou.yaml's targets. build.py calls these; kept apart so that the
case pillar's builder stays readable."""

from __future__ import annotations

from typing import Any

from jushou_cli.load.yamldoc import Document
from jushou_cli.model.programme import Area, CommunityActivity, Target, Training
from jushou_cli.model.raw import day, entries, integer, mapping, text, texts

PROGRAMME_KINDS = ("community", "training")


def areas(doc: Document) -> tuple[Area, ...]:
    return tuple(
        Area(doc, ("areas", i), id=text(a, "id") or "", name=text(a, "name") or "", teams=texts(a, "teams"))
        for i, a in entries(doc.data, "areas")
    )


def targets(doc: Document) -> tuple[Target, ...]:
    """Every `targets.<fy>.<id>: N` that is a number under a four-digit year (the schema reports
    the rest). YAML gives `2025:` and `"2025":` the same key (load/yamldoc keeps keys as text)."""
    found = []
    for year, wanted in mapping(doc.data, "targets").items():
        if not (isinstance(year, str) and len(year) == 4 and year.isdigit() and isinstance(wanted, dict)):
            continue
        for indicator, value in wanted.items():
            if isinstance(value, int | float) and not isinstance(value, bool) and isinstance(indicator, str):
                found.append(
                    Target(doc, ("targets", year), fiscal_year=int(year), indicator=indicator, value=value)
                )
    return tuple(found)


def made_from(doc: Document) -> Any:
    """A community activity or a training (the kinds of PROGRAMME_KINDS)."""
    d = doc.data
    if doc.kind == "community":
        return CommunityActivity(
            doc,
            type=text(d, "type"),
            date=day(d, "date"),
            resource=text(d, "resource"),
            area=text(d, "area"),
            organizations=texts(d, "organizations"),
            participants=_count(d, "participants"),
            staff=texts(d, "staff"),
        )
    return Training(
        doc,
        date=day(d, "date"),
        title=text(d, "title"),
        course=text(d, "course"),
        invited=_count(d, "invited"),
        attended=_count(d, "attended"),
    )


def _count(data: Any, key: str) -> int | None:
    """A number of people; a negative one is a schema error and counts as not written."""
    value = integer(data, key)
    return value if value is not None and value >= 0 else None
