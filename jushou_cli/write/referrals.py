"""A つなぐシート's answer (RECORDS.md Additions): `jushou referral answer` sets one `to` entry's
result, answered date, reason and outcome; opening a case from the referral or writing its
提案用シート sets the answer of the entry that the opening organization was sent, in the same
all-or-nothing change as the new file (write/newfile.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from jushou_cli.model import labels
from jushou_cli.model.dates import wareki
from jushou_cli.model.records import Referral, ReferralTarget, Repository
from jushou_cli.write.edit import Edit
from jushou_cli.write.ids import BadValue, Refused, UnknownId, require_code
from jushou_cli.write.yamledit import Change, SetKey

TO_ORDER = ("organization", "date", "result", "answered", "reason", "outcome", "note")


def _referral(repo: Repository, referral_id: str) -> Referral:
    found = repo.referral(referral_id)
    if found is None:
        raise UnknownId(
            "つなぐシート",
            "REFERRAL",
            referral_id,
            (r.id for r in repo.referrals),
            "jushou new referral で作ってください",
        )
    return found


def _changes(target: ReferralTarget, values: dict[str, Any]) -> list[Change]:
    """Only the keys whose value changes: each is one line of the diff."""
    current = {
        "result": target.result,
        "answered": target.answered.isoformat() if target.answered else None,
        "reason": target.reason,
        "outcome": target.outcome,
    }
    return [
        SetKey(target.base, key, value, TO_ORDER)
        for key, value in values.items()
        if current.get(key) != value and not (value is None and key not in target.data)
    ]


def answer(
    repo: Repository,
    referral_id: str,
    organization: str,
    result: str,
    when: date,
    reason: str | None = None,
    outcome: str | None = None,
) -> Edit:
    """The `to` entry of `organization` answered `result` on `when` (pending: the answer is
    taken back, `answered` emptied)."""
    referral = _referral(repo, referral_id)
    require_code(result, "--result", labels.enum("referral_result"))
    entries = [t for t in referral.to if t.organization == organization]
    if not entries:
        raise UnknownId(
            "つなぎ先",
            "--to",
            organization,
            (t.organization for t in referral.to if t.organization),
            f"{referral.path} の to に書かれた機関を指定してください",
        )
    target = entries[0]
    if result == "declined" and not (reason or target.reason):
        raise BadValue(
            "--reason: 受けなかった (declined) ときは理由を書いてください",
            "例: --reason 対象年齢外のため。つなぎ元に返す大事な情報です",
        )
    sent = target.date or referral.date
    if result != "pending" and sent is not None and when < sent:
        raise Refused(
            f"回答日 {wareki(when)} がつないだ日 {wareki(sent)} より前です", "--date を確かめてください"
        )
    values: dict[str, Any] = {"result": result, "answered": None if result == "pending" else when.isoformat()}
    if reason is not None:
        values["reason"] = reason
    if outcome is not None:
        values["outcome"] = outcome
    changes = _changes(target, values)
    if not changes:
        raise Refused(f"{referral.id} の {organization} へのつなぎは、もうその内容になっています")
    shown = labels.label("referral_result", result)
    said = f"に{wareki(when)}の回答「{shown}」を記録しました"
    if result == "pending":
        said = "を回答待ちに戻しました"
    return Edit(referral.path, changes, f"{referral.id} の {organization} へのつなぎ{said}")


def answered_by(
    repo: Repository, referral: Referral, organizations: list[str | None], result: str, when: date
) -> Edit | None:
    """The answer that opening a case (connected) or writing a proposal (proposal) gives: on the
    entry of the first of `organizations` (the writer's) among the referral's `to`, else on its
    only entry still pending; None when no entry can be told apart or it says so already."""
    by_org = {t.organization: t for t in referral.to}
    target = next((by_org[o] for o in organizations if o in by_org), None)
    if target is None:
        pending = [t for t in referral.to if t.result == "pending"]
        target = pending[0] if len(pending) == 1 else None
    if target is None or (target.result == result and target.answered is not None):
        return None
    changes = _changes(target, {"result": result, "answered": when.isoformat()})
    if not changes:
        return None
    shown = labels.label("referral_result", result)
    return Edit(
        referral.path,
        changes,
        f"つなぐシート {referral.id} の {target.organization} へのつなぎを"
        f"「{shown}」（{wareki(when)}）にしました",
    )
