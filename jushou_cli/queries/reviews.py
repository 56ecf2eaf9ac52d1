"""社会資源の検討: what the year's meetings recorded under `resources_review` about missing social
resources, quoted in the annual report. It is free text written by people, so every value the
schemas mark personal (names, addresses, phone numbers…) is scrubbed from it before it is quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from jushou_cli.model import labels
from jushou_cli.model.contract import is_personal
from jushou_cli.model.dates import fy_bounds
from jushou_cli.model.records import Repository

REDACTED = "〔個人情報〕"


@dataclass(frozen=True, slots=True)
class ResourceReview:
    """A meeting's 社会資源の検討 (`resources_review`): which resources were found missing."""

    meeting: str
    date: date
    meeting_type: str
    text: str


def personal_values(repo: Repository) -> set[str]:
    """Every text the schemas mark personal (names, addresses, phone numbers…) and the family and
    given names apart, so that a free-text field quoted in the report can be scrubbed of them."""
    found: set[str] = set()

    def walk(kind: str | None, value: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(kind, sub, (*path, str(key)))
        elif isinstance(value, list):
            for index, sub in enumerate(value):
                walk(kind, sub, (*path, index))
        elif isinstance(value, str) and is_personal(kind, path):
            found.add(value.strip())
            if path and path[-1] in ("name", "kana"):  # 山田 花子 → also 山田, 花子
                found.update(value.split())

    for doc in repo.documents:
        walk(doc.kind, doc.data, ())
    return {v for v in found if len(v) >= 2}


def scrub(text: str, personal: set[str]) -> str:
    for value in sorted(personal, key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text


# YAML folds a long line (`>-`) by joining its lines with a space, which Japanese text does not
# have between its characters.
_FOLDED_SPACE = re.compile(
    r"(?<=[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff60]) (?=[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff60])"
)


def resource_reviews(repo: Repository, fy: int) -> list[ResourceReview]:
    start, end = fy_bounds(fy)
    personal = personal_values(repo)
    found = []
    for meeting in repo.meetings:
        text = meeting.data.get("resources_review")
        if not (isinstance(text, str) and text.strip()):
            continue
        if meeting.held and meeting.date and start <= meeting.date <= end:
            kind = labels.label("meeting_type", meeting.type) or "会議"
            text = _FOLDED_SPACE.sub("", text.strip())
            found.append(ResourceReview(meeting.id, meeting.date, kind, scrub(text, personal)))
    return sorted(found, key=lambda r: (r.date, r.meeting))
