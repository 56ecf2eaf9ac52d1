"""A つなぐシート's answers (RECORDS.md Additions, codes J701–J703): an entry that is no longer
pending says when it was answered, a declined one says why, and no answer comes before the
referral was sent."""

from __future__ import annotations

from datetime import date

from jushou_cli.model.catalogue import referrals as problems
from jushou_cli.model.dates import wareki
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.labels import label
from jushou_cli.model.records import Referral, ReferralTarget, Repository

# Results that are an answer; an unknown code is the schema's finding, not ours.
ANSWERS = ("connected", "declined", "proposal")


def sent_on(referral: Referral, target: ReferralTarget) -> date | None:
    """When the entry was sent: its own date, else the sheet's."""
    return target.date or referral.date


def _target(referral: Referral, target: ReferralTarget) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    organization = target.organization or "—"
    if target.result in ANSWERS and target.answered is None:
        found.append(
            problems.ANSWER_MISSING.at(
                target,
                "result",
                organization=organization,
                result=label("referral_result", target.result),
                referral=referral.id,
                code=target.result,
            )
        )
    if target.result == "declined" and not target.reason:
        found.append(problems.REASON_MISSING.at(target, "result", organization=organization))
    sent = sent_on(referral, target)
    if target.answered is not None and sent is not None and target.answered < sent:
        found.append(
            problems.ANSWERED_BEFORE_SENT.at(
                target, "answered", answered=wareki(target.answered), sent=wareki(sent)
            )
        )
    return found


def check(repo: Repository, today: date) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for referral in repo.referrals:
        for target in referral.to:
            found += _target(referral, target)
    return found
