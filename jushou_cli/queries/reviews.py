"""社会資源の検討: what the year's meetings recorded under `resources_review` about missing social
resources, quoted in the annual report. It is free text written by people, so every value the
schemas mark personal (names, addresses, phone numbers…) is scrubbed from it before it is quoted.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass
from datetime import date

from jushou_cli.model import labels
from jushou_cli.model.dates import fy_bounds
from jushou_cli.model.records import Repository
from jushou_cli.model.redaction import Scrubber, personal_values


@dataclass(frozen=True, slots=True)
class ResourceReview:
    """A meeting's 社会資源の検討 (`resources_review`): which resources were found missing."""

    meeting: str
    date: date
    meeting_type: str
    text: str


# YAML folds a long line (`>-`) by joining its lines with a space, which Japanese text does not
# have between its characters.
_FOLDED_SPACE = re.compile(
    r"(?<=[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff60]) (?=[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff60])"
)


def resource_reviews(repo: Repository, fy: int, personal: Set[str] | None = None) -> list[ResourceReview]:
    """The year's reviews of resources, scrubbed of `personal` (every personal value: the
    loading may know them — store/index.py keeps them per file — else they are read from every
    case, and only when there is a review to scrub)."""
    start, end = fy_bounds(fy)
    found = []
    scrubber: Scrubber | None = None
    for meeting in repo.meetings:
        if not (meeting.held and meeting.date and start <= meeting.date <= end):
            continue  # the year's meetings only: a review is read from its file when asked
        text = meeting.resources_review
        if not (text and text.strip()):
            continue
        kind = labels.label("meeting_type", meeting.type) or "会議"
        text = _FOLDED_SPACE.sub("", text.strip())
        if scrubber is None:
            scrubber = Scrubber(personal if personal is not None else personal_values(repo))
        found.append(ResourceReview(meeting.id, meeting.date, kind, scrubber.text(text)))
    return sorted(found, key=lambda r: (r.date, r.meeting))
