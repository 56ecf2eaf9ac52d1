"""Rule 6: dates in order (codes J601–J607)."""

from __future__ import annotations

from datetime import date

from jushou_cli.model.dates import wareki
from jushou_cli.model.diagnostics import Diagnostic, error
from jushou_cli.model.records import Case, Repository


def _case(case: Case) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    intake = case.intake_date
    for sheet in case.assessments:
        if intake and sheet.date and sheet.date < intake:
            line, col = sheet.at("date")
            found.append(
                error(
                    "J601",
                    sheet.path,
                    line,
                    col,
                    f"アセスメント日 {wareki(sheet.date)} が受付日 {wareki(intake)} より前です "
                    "(assessment before intake)",
                    "date か受付日 (intake.date) を確かめてください",
                )
            )
    first_assessment = min((s.date for s in case.assessments if s.date), default=None)
    floor = first_assessment or intake
    previous = None
    for plan in case.plans:
        if plan.date is None:
            continue
        if plan.version == 1 and floor and plan.date < floor:
            what = "アセスメント日" if first_assessment else "受付日"
            found.append(
                error(
                    "J602",
                    plan.path,
                    *plan.at("date"),  # only for a finding: positions cost a re-parse
                    f"プラン第1版の日付 {wareki(plan.date)} が{what} {wareki(floor)} より前です "
                    "(plan before assessment)",
                    "プランはアセスメントの後に作ります",
                )
            )
        if previous is not None and previous.date and plan.date <= previous.date:
            found.append(
                error(
                    "J603",
                    plan.path,
                    *plan.at("date"),
                    f"プラン第{plan.version}版の日付 {wareki(plan.date)} が第{previous.version}版 "
                    f"({wareki(previous.date)}) より後ではありません (plan versions out of order)",
                    "版の番号と日付の順を揃えてください",
                )
            )
        if plan.monitoring and plan.monitoring <= plan.date:
            m_line, m_col = plan.at("monitoring")
            found.append(
                error(
                    "J606",
                    plan.path,
                    m_line,
                    m_col,
                    f"モニタリング時期 {wareki(plan.monitoring)} がプランの日付より後ではありません "
                    "(monitoring not after plan)",
                    "モニタリングの予定日を確かめてください",
                )
            )
        previous = plan
    versions = [p.version for p in case.plans if p.version is not None]
    for expected, plan in enumerate(case.plans, start=1):
        if plan.version is not None and plan.version > expected and expected not in versions:
            line, col = plan.at("version")
            found.append(
                error(
                    "J607",
                    plan.path,
                    line,
                    col,
                    f"プラン第{plan.version}版の前に第{expected}版がありません (missing plan version)",
                    "version は 1 から順に付けます",
                )
            )
            break
    for key, label in (("closure", "終結"), ("suspension", "中断")):
        when = case.closure_date if key == "closure" else case.suspension_date
        if when and intake and when < intake:
            line, col = case.at(key, "date")
            found.append(
                error(
                    "J604",
                    case.path,
                    line,
                    col,
                    f"{label}日 {wareki(when)} が受付日 {wareki(intake)} より前です ({key} before intake)",
                    "日付を確かめてください",
                )
            )
    return found


def check(repo: Repository, today: date) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for case in repo.cases:
        found += _case(case)
    for meeting in repo.meetings:
        if meeting.held and meeting.date and meeting.date > today:
            line, col = meeting.at("status")
            found.append(
                error(
                    "J605",
                    meeting.path,
                    line,
                    col,
                    f"{wareki(meeting.date)} の会議が「開催済み (held)」になっています (held in the future)",
                    "これからの会議は status: planned にしてください",
                )
            )
    return found
