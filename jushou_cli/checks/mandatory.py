"""Rules 4, 5 and 7: the mandatory 重層的支援会議 of a plan, a re-plan, a closure and a
suspension (codes J501–J505). What is owed but not yet late is for `jushou due`, not an error."""

from __future__ import annotations

from datetime import date

from jushou_cli.model.dates import wareki
from jushou_cli.model.diagnostics import Diagnostic, error, warning
from jushou_cli.model.obligations import closing_meeting, failed_contacts, plan_meetings
from jushou_cli.model.records import Repository

_HINT_HOLD = (
    "重層的支援会議（status: held、type: multilayer_meeting）の items に "
    "case: {case}、timing: {timing}{version} を記録してください。中止・予定の会議は数えません"
)


def check(repo: Repository, today: date) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    rules = repo.rules
    for case in repo.cases:
        if case.dir and case.id != case.dir:
            continue  # J301 first: meetings name the case by one id or the other
        for owed in plan_meetings(repo, case):
            plan = owed.plan
            what = "プラン策定" if plan.version == 1 else f"再プラン（第{plan.version}版）"
            if owed.paid_by is None and today > owed.due:
                found.append(
                    error(
                        "J501",
                        plan.path,
                        *plan.at("version"),  # only for a finding: positions cost a re-parse
                        f"{case.id} の{what}の重層的支援会議が期限 {wareki(owed.due)} までに開かれていません "
                        "(mandatory plan meeting overdue)",
                        _HINT_HOLD.format(
                            case=case.id, timing=owed.timing, version=f"、plan_version: {plan.version}"
                        ),
                    )
                )
            elif owed.paid_by is not None and owed.late:
                meeting = owed.paid_by[0]
                found.append(
                    warning(
                        "J502",
                        plan.path,
                        *plan.at("version"),  # only for a finding: positions cost a re-parse
                        f"{what}の重層的支援会議 {meeting.id} は期限 {wareki(owed.due)} より後に開かれました"
                        f"（プラン作成から{rules.plan_meeting_within_days}日以内） (plan meeting held late)",
                        "次のプランからは期限内に会議を開いてください（jushou due で期限が分かります）",
                    )
                )
        for timing, when, label, code in (
            ("closure", case.closure_date, "終結", "J503"),
            ("suspension", case.suspension_date, "中断", "J504"),
        ):
            if when is None:
                continue
            paid = closing_meeting(repo, case, timing, when)
            if paid is None:
                found.append(
                    error(
                        code,
                        case.path,
                        *case.at(timing, "date"),
                        f"{label}（{wareki(when)}）の前に、{label}を決める重層的支援会議がありません "
                        f"(no {timing} meeting)",
                        _HINT_HOLD.format(case=case.id, timing=timing, version=""),
                    )
                )
                continue
            if timing == "suspension":
                meeting = paid[0]
                assert meeting.date is not None
                attempts = failed_contacts(repo, case, meeting.date)
                if len(attempts) < rules.suspension_min_attempts:
                    found.append(
                        error(
                            "J505",
                            case.path,
                            *case.at(timing, "date"),
                            f"中断の前の{rules.suspension_window_days}日間に、連絡が取れなかった記録が"
                            f"{len(attempts)}件しかありません（{rules.suspension_min_attempts}件以上必要） "
                            "(too few failed contact attempts before suspension)",
                            "訪問・電話などの記録に contact: failed を付けて残してください。"
                            "連絡が完全に途絶えたときだけ中断にできます",
                        )
                    )
    return found
