"""The annual report's sections, in the order a town's 実施状況 report reads (包括的相談支援,
多機関協働, アウトリーチ, 参加支援, 地域づくり, 研修, 目標と実績, 社会資源の検討), as one declarative
table: a section names the indicator ids it shows and the breakdowns it charts. An indicator
added later joins its section by id: a section shows only the ids that `queries.indicators.IDS`
holds, and a section none of whose ids exists is left out of the PDF and the workbook.

The PDF (a heading per section), the workbook (a sheet per section) and the csv (a 章 column,
which `jushou indicators --format csv` shares) all read this table, so they cannot order or group
the figures differently. `render/report/sections.py` builds the report's sections from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jushou_cli.model.dates import fiscal_year
from jushou_cli.model.records import Repository
from jushou_cli.queries.indicators import Indicator


@dataclass(frozen=True, slots=True)
class Spec:
    id: str
    title: str
    indicators: tuple[str, ...]
    # (indicator id, dimension) drawn with a chart; every other `by` dimension of the section's
    # indicators follows as a table without one
    charted: tuple[tuple[str, str], ...] = ()
    # year-over-year charts of the section's headline figures
    trends: tuple[str, ...] = ()
    lead: str = ""


SECTIONS: tuple[Spec, ...] = (
    Spec(
        "consultation",
        "包括的相談支援",
        (
            "new_cases",
            "continuing_cases",
            "closed_cases",
            "suspended_cases",
            "active_at_year_end",
            "activities",
            "persons_supported",
            "households",
        ),
        (
            ("new_cases", "route"),
            ("new_cases", "issue"),
            ("activities", "type"),
            ("activities", "topic"),
            ("activities", "organization"),
        ),
        ("new_cases", "persons_supported", "activities"),
        "相談の受付から終結・中断までのケースの数と、記録された支援活動です。",
    ),
    Spec(
        "collaboration",
        "多機関協働",
        (
            "meetings",
            "support_meetings",
            "multilayer_meetings",
            "cases_discussed",
            "concerns",
            "plans_created",
            "replans",
            "referrals",
            "referrals_unanswered",
            "referral_answer_days",
            "proposals",
        ),
        (("referrals", "to"), ("referrals", "result")),
        ("multilayer_meetings", "referrals"),
        "支援会議・重層的支援会議の開催、プランの作成、つなぐシートによる機関間のつなぎと提案です。",
    ),
    Spec("outreach", "アウトリーチ", ("outreach",), (("outreach", "type"),), ("outreach",)),
    Spec(
        "participation",
        "参加支援",
        ("participation_users", "participation_hosts", "participation_retained"),
        lead="社会とのつながりを回復するための参加支援の利用と、受け入れ先です。",
    ),
    Spec(
        "community",
        "地域づくり",
        ("community_activities", "community_bases", "community_participants", "community_organizations"),
        (("community_activities", "type"),),
        lead="地域づくりに向けた活動（サロン・居場所・プラットフォームなど）です。",
    ),
    Spec(
        "training",
        "研修",
        ("trainings", "training_attendance"),
        (("trainings", "course"),),
        lead="支援関係機関の職員などを対象にした研修です。",
    ),
)
TARGETS_TITLE = "目標と実績"
REVIEWS_TITLE = "社会資源の検討"


def section_of(indicator_id: str) -> Spec | None:
    return next((s for s in SECTIONS if indicator_id in s.indicators), None)


def reading_order(indicator_ids: Sequence[str]) -> list[str]:
    """The ids section by section (an id no section names last, in its own order)."""
    listed = [i for s in SECTIONS for i in s.indicators if i in indicator_ids]
    return [*listed, *(i for i in indicator_ids if i not in listed)]


def target(indicator: Indicator) -> int | float | None:
    """The indicator's yearly target (jushou.yaml `targets`, RECORDS.md Additions; compute()
    sets it for the indicator's year), None where the year sets none. A whole number as an int
    (120, not 120.0), so the report prints it as it is written."""
    value = indicator.target
    if value is None or isinstance(value, bool):
        return None
    return int(value) if float(value).is_integer() else value


def first_year(repo: Repository) -> int | None:
    """The fiscal year of the repository's first dated record: the years before it have no data
    (「—」), which is not the same as a year with none of something (0)."""
    dates = [c.intake_date for c in repo.cases]
    for case in repo.cases:
        dates += [r.date for r in case.records] + [s.date for s in case.sheets]
    dates += [r.date for r in repo.records] + [m.date for m in repo.meetings]
    dates += [r.date for r in repo.referrals] + [p.date for p in repo.proposals]
    dates += [a.date for a in repo.community] + [t.date for t in repo.trainings]
    known = [d for d in dates if d is not None]
    return fiscal_year(min(known)) if known else None
