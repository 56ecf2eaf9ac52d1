"""The registries and the configuration (jushou.yaml, organizations.yaml, members.yaml,
resources.yaml) as values like those of records.py, which imports them from here: kept apart so
that records.py stays the records' (a case, its sheets, referrals, meetings, the repository)."""

from __future__ import annotations

import datetime as dt
from dataclasses import field as dc_field

from jushou_cli.model.programme import Target
from jushou_cli.model.raw import Sourced, record


@record
class Rules:
    plan_meeting_within_days: int = 30
    monitoring_grace_days: int = 14
    suspension_min_attempts: int = 3
    suspension_window_days: int = 90
    consent_warning_days: int = 30
    referral_answer_days: int = 14


@record
class Config(Sourced):
    town: str = ""
    office: str = ""
    rules: Rules = dc_field(default_factory=Rules)
    retention_years: int = 5
    targets: tuple[Target, ...] = ()  # jushou.yaml `targets`, year by year
    encryption: str | None = None  # None (off), "on" or "required" (docs/privacy.md)
    access_log: bool = False


@record
class Organization(Sourced):
    id: str = ""
    name: str = ""
    field: str | None = None
    programs: tuple[str, ...] = ()


@record
class Member(Sourced):
    id: str = ""
    name: str = ""
    organization: str | None = None
    role: str | None = None
    pledge_date: dt.date | None = None
    team: str | None = None
    end_date: dt.date | None = None  # 退任日 (jushou member retire)


@record
class Resource(Sourced):
    id: str = ""
    name: str = ""
    type: str | None = None
    organization: str | None = None
    area: str | None = None
