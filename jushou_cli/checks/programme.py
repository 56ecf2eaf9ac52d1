"""The programme around the case (RECORDS.md, Additions): areas named by areas.yaml and
trainings' numbers (codes J220, J801). A community activity's references join rule 1's
(references.py); its numbers and keys, and targets' indicator ids, are the schema's (J112, J113,
J802)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from jushou_cli.model.catalogue import programme as problems
from jushou_cli.model.catalogue.repository import UNKNOWN_AREA
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.records import Repository, Sourced


def _with_area(repo: Repository) -> Iterator[tuple[Sourced, str | None]]:
    for case in repo.cases:
        yield case, case.area
        for record in case.records:
            yield record, record.area
    for record in repo.records:
        yield record, record.area
    for activity in repo.community:
        yield activity, activity.area
    for resource in repo.resources:
        yield resource, resource.area


def _areas(repo: Repository) -> list[Diagnostic]:
    """Without areas.yaml an area is free text, as resources always had it."""
    if "areas" not in repo.registries_present:
        return []
    known = {a.id for a in repo.areas}
    listing = ", ".join(dict.fromkeys(a.id for a in repo.areas if a.id)) or "（なし）"
    return [
        UNKNOWN_AREA.at(owner, "area", id=area, areas=listing)
        for owner, area in _with_area(repo)
        if area is not None and area not in known
    ]


def _trainings(repo: Repository) -> list[Diagnostic]:
    return [
        problems.ATTENDED_OVER_INVITED.at(t, "attended", attended=t.attended, invited=t.invited)
        for t in repo.trainings
        if t.attended is not None and t.invited is not None and t.attended > t.invited
    ]


def check(repo: Repository, today: date) -> list[Diagnostic]:
    return _areas(repo) + _trainings(repo)
