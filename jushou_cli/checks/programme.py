"""The programme around the case (RECORDS.md, Additions): areas named by areas.yaml and
trainings' numbers (codes J220, J801). A community activity's references join rule 1's
(references.py); its numbers and keys, and targets' indicator ids, are the schema's (J112, J113,
J802)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from jushou_cli.model.catalogue import programme as problems
from jushou_cli.model.catalogue.repository import UNKNOWN_AREA
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.records import Case, Repository, Sourced


def _outside_cases(repo: Repository) -> Iterator[tuple[Sourced, str | None]]:
    for record in repo.records:
        yield record, record.area
    for activity in repo.community:
        yield activity, activity.area
    for resource in repo.resources:
        yield resource, resource.area


def _of_case(case: Case) -> Iterator[tuple[Sourced, str | None]]:
    yield case, case.area
    for record in case.records:
        yield record, record.area


class Areas:
    """The areas areas.yaml names; without areas.yaml an area is free text, as resources
    always had it (`known` None)."""

    def __init__(self, repo: Repository) -> None:
        self.known: set[str | None] | None = None
        self.listing = ""
        if "areas" in repo.registries_present:
            self.known = {a.id for a in repo.areas}
            self.listing = ", ".join(dict.fromkeys(a.id for a in repo.areas if a.id)) or "（なし）"

    def unknown(self, named: Iterable[tuple[Sourced, str | None]]) -> list[Diagnostic]:
        if self.known is None:
            return []
        return [
            UNKNOWN_AREA.at(owner, "area", id=area, areas=self.listing)
            for owner, area in named
            if area is not None and area not in self.known
        ]


def _trainings(repo: Repository) -> list[Diagnostic]:
    return [
        problems.ATTENDED_OVER_INVITED.at(t, "attended", attended=t.attended, invited=t.invited)
        for t in repo.trainings
        if t.attended is not None and t.invited is not None and t.attended > t.invited
    ]


def check(repo: Repository, today: date) -> list[Diagnostic]:
    areas = Areas(repo)
    found = check_rest(repo, areas)
    for case in repo.cases:
        found += check_case(case, areas)
    return found


def check_case(case: Case, areas: Areas) -> list[Diagnostic]:
    """The areas one case and its records name (checks/__init__.py runs it case by case)."""
    return areas.unknown(_of_case(case))


def check_rest(repo: Repository, areas: Areas) -> list[Diagnostic]:
    return areas.unknown(_outside_cases(repo)) + _trainings(repo)
