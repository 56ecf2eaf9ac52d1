"""`jushou referral feedback` (Markdown, HTML, or PDF through the handout machinery: WeasyPrint
with BIZ UDPゴシック embedded) and `jushou referral suggest` (text or JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from jushou_cli.queries.referrals import Feedback, Suggestion, Suggestions
from jushou_cli.render.agenda import md_cell, md_text
from jushou_cli.render.screen import Column, Renderers, Screen, Table, plain, styled


def feedback_text(feedback: Feedback, fmt: str, repo_root: Path | None) -> str:
    """templates/feedback/feedback.<md|html>.j2 (the repository's own first); HTML autoescaped,
    Markdown with HTML in the data escaped (render/agenda.py says why)."""
    from jushou_cli.store.templates import shared_environment

    html = fmt == "html"
    env = shared_environment(repo_root, html, {"md_cell": md_cell}, finalize=None if html else md_text)
    text: str = env.get_template(f"feedback/feedback.{fmt}.j2").render(feedback=feedback)
    return text


def feedback_pdf(feedback: Feedback, repo_root: Path | None) -> bytes:
    """Raises render.weasy.PdfUnavailable when no PDF with a Japanese font can be made."""
    from jushou_cli.render.weasy import render_pdf

    data, _, _ = render_pdf(feedback_text(feedback, "html", repo_root), repo_root)
    return data


def feedback_json(feedback: Feedback) -> str:
    payload = {
        "organization": feedback.organization,
        "name": feedback.organization_name,
        "fiscal_year": feedback.fiscal_year,
        "label": feedback.label,
        "rows": [r.to_json() for r in feedback.rows],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


# What `referral feedback` writes, one format each (files or standard output).
FEEDBACK_FORMATS = ("md", "html", "pdf", "json")


def suggestions_text(result: Suggestions) -> Screen | str:
    from jushou_cli.model.labels import label

    topics, found = result.topics, result.found

    asked = "・".join(label("topic", t) for t in topics)
    if not found:
        return (
            f"相談内容「{asked}」を扱うつなぎ先は見つかりませんでした"
            "（organizations.yaml の field と過去のつなぎから探します）。\n"
        )
    rows = tuple(
        (plain(str(n)), plain(s.name), styled(s.organization, "dim"), plain("／".join(s.evidence())))
        for n, s in enumerate(found, start=1)
    )
    columns = (Column("順"), Column("つなぎ先"), Column("id"), Column("根拠", fold=True))
    return Screen((Table(columns, rows, title=f"相談内容「{asked}」のつなぎ先の候補"),))


def suggestions_json(result: Suggestions) -> str:
    payload = {"topics": list(result.topics), "suggestions": [s.to_json() for s in result.found]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


SUGGEST_RENDERERS: Renderers[Suggestions] = {"text": suggestions_text, "json": suggestions_json}


def suggestion_hint(found: Sequence[Suggestion], limit: int = 3) -> str:
    """One line for `jushou new referral` without --to."""
    if not found:
        return "つなぎ先の候補は見つかりませんでした。organizations.yaml の id を --to に指定してください"
    parts = [f"--to {s.organization}（{s.name}: {'、'.join(s.evidence()[:1])}）" for s in found[:limit]]
    return "候補: " + " / ".join(parts)
