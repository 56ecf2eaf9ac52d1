"""The catalogue, J7xx: a つなぐシート's answers (checks/referrals.py, RECORDS.md Additions).
Dates are passed as 和暦 (model/dates.wareki).

A missing `answered` or `reason` is a warning, not an error: RECORDS.md's additions keep older
files valid, and a town's referrals answered before these keys existed say `result: connected`
with no date. An answer dated before the referral was sent is an error (a date that cannot be)."""

from __future__ import annotations

from jushou_cli.model.diagnostics import Problem, Severity

ANSWER_MISSING = Problem(
    "J701",
    "{organization} へのつなぎは結果が「{result}」ですが、回答日 (answered) がありません "
    "(referral answer without date)",
    "つなぎ先が回答した日を answered: YYYY-MM-DD で書いてください"
    "（jushou referral answer {referral} --to {organization} --result {code} --date 日付）。"
    "まだ回答がなければ result: pending にします",
    Severity.WARNING,
)
REASON_MISSING = Problem(
    "J702",
    "{organization} へのつなぎは「受けなかった (declined)」ですが、理由 (reason) がありません "
    "(declined referral without reason)",
    "受けなかった理由を reason に書いてください。つなぎ元に返す大事な情報です",
    Severity.WARNING,
)
ANSWERED_BEFORE_SENT = Problem(
    "J703",
    "回答日 {answered} がつないだ日 {sent} より前です (referral answered before it was sent)",
    "answered と、つないだ日（to[].date、なければシートの date）を確かめてください",
)
