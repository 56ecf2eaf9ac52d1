"""`indicators --by`: a breakdown the definitions do not carry themselves. `--by area` adds the
area (圏域) to every indicator whose records have one — cases, activity records, community
activities and the resources they use; `--by organization,topic` cross-tabulates two dimensions
(志布志市's 機関 × 相談内容) for every indicator that has both. Counted from the same records as
the figures (`Definition.count`), so a breakdown always adds up to its figure."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter

from jushou_cli.model.records import Repository
from jushou_cli.queries.figures import Definition, Indicator, Year, YearFigures

# The indicators whose records each lie in an area: a case (its `area`), an activity record (its
# own `area`, else its case's), a plan (its case's), a household (its first case's), a
# community activity, a resource (拠点・受け入れ先). Meetings, referrals, proposals, trainings
# and organizations lie in none.
WITH_AREA = frozenset(
    {
        "new_cases",
        "continuing_cases",
        "closed_cases",
        "suspended_cases",
        "active_at_year_end",
        "activities",
        "persons_supported",
        "outreach",
        "plans_created",
        "replans",
        "participation_users",
        "households",
        "participation_hosts",
        "participation_retained",
        "community_activities",
        "community_bases",
        "community_participants",
    }
)


def dimensions(definitions: tuple[Definition, ...]) -> tuple[str, ...]:
    """What `--by` accepts: every definition's dimensions, and area."""
    return tuple(dict.fromkeys(("area", *(d for definition in definitions for d in definition.dimensions))))


def area_of(repo: Repository) -> dict[str, str | None]:
    """The area of every record id an indicator counts (None: written nowhere)."""
    found: dict[str, str | None] = {}
    for resource in repo.resources:
        found[resource.id] = resource.area
    for case in repo.cases:
        found[case.id] = case.area
        if case.household_id:
            found.setdefault(case.household_id, case.area)
        for record in case.records:
            found[record.id] = record.area or case.area
        for plan in case.plans:
            found[plan.path.removesuffix(".yaml")] = case.area
    for record in repo.records:
        found[record.id] = record.area
    for activity in repo.community:
        found[activity.id] = activity.area
    return found


def broken_down(
    repo: Repository, figures: YearFigures, by: tuple[str, ...], definitions: tuple[Definition, ...]
) -> YearFigures:
    """The year's figures with `by`: one dimension adds it to `Indicator.by` (where it is not
    there already); two add their cross-tabulation to `Indicator.cross`."""
    areas = area_of(repo) if "area" in by else {}
    year = Year.of(repo, figures.fiscal_year) if len(by) == 2 else None
    out = []
    for definition, indicator in zip(definitions, figures.indicators, strict=True):
        has = set(definition.dimensions) | ({"area"} if definition.id in WITH_AREA else set())
        if not set(by) <= has:
            out.append(indicator)
        elif year is not None:
            out.append(_crossed(indicator, definition, year, by, areas))
        elif by[0] not in indicator.dimensions:
            tally: Counter[str] = Counter()
            for counted in indicator.records:
                tally[areas.get(counted.id) or "unknown"] += counted.amount if indicator.summed else 1
            out.append(
                dataclasses.replace(
                    indicator, by={**indicator.by, "area": tally}, dimensions=(*indicator.dimensions, "area")
                )
            )
        else:
            out.append(indicator)
    return dataclasses.replace(figures, indicators=tuple(out))


def _crossed(
    indicator: Indicator,
    definition: Definition,
    year: Year,
    by: tuple[str, ...],
    areas: dict[str, str | None],
) -> Indicator:
    first, second = by
    table: dict[str, Counter[str]] = {}
    for counted, codes in definition.count(year):
        if "area" in by:
            codes = {**codes, "area": [areas.get(counted.id) or "unknown"]}
        n = counted.amount if indicator.summed else 1
        for a, b in itertools.product(codes.get(first, ()), codes.get(second, ())):
            table.setdefault(a, Counter())[b] += n
    return dataclasses.replace(indicator, cross={**indicator.cross, (first, second): table})
