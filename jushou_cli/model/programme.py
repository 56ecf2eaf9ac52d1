"""The programme around the case (RECORDS.md, Additions): areas (圏域), community activities
(地域づくり活動), trainings (研修) and the year's targets (事業評価), as values like those of
records.py. They live in a module of their own so that records.py stays the case pillar's;
records.py's Repository and Config hold them."""

from __future__ import annotations

import datetime as dt

from jushou_cli.model import raw
from jushou_cli.model.raw import Sourced, record, written


@record
class Area(Sourced):
    """One entry of areas.yaml."""

    id: str = ""
    name: str = ""
    teams: tuple[str, ...] = ()


@record
class Target(Sourced):
    """One `targets.<fy>.<indicator>: N` of jushou.yaml; `base` leads to the year's mapping, so
    `key_at(indicator)` is where the indicator id is written."""

    fiscal_year: int = 0
    indicator: str = ""
    value: float = 0


@record
class CommunityActivity(Sourced):
    """community/<fy>/<date>-<type>[-<n>].yaml: a 地域づくり activity. It counts people, never
    names them (the schema allows no personal key)."""

    type: str | None = None
    date: dt.date | None = None
    resource: str | None = None
    area: str | None = None
    organizations: tuple[str, ...] = ()
    participants: int | None = None
    staff: tuple[str, ...] = ()
    summary = written(raw.text, "summary")

    @property
    def id(self) -> str:
        return self.path.removesuffix(".yaml")


@record
class Training(Sourced):
    """trainings/<fy>/<date>[-<n>].yaml: one session of a training for the people who support."""

    date: dt.date | None = None
    title: str | None = None
    course: str | None = None
    invited: int | None = None
    attended: int | None = None
    survey = written(raw.text, "survey")

    @property
    def id(self) -> str:
        return self.path.removesuffix(".yaml")
