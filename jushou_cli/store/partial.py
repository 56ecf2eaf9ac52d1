"""The part of a repository a command about one meeting or one case reads.

An agenda or a handout needs the registries, every meeting (a case's timeline and earlier
decisions come from them) and the folders of the cases it is about — in a city of 100,000 files,
a few thousand. The meeting file is found by its name and read alone to learn its cases. Any
doubt (no file of that name, a case id that names no folder, a meeting or case the partial load
does not find) sends the caller back to the whole repository: the result must be the same as
from a full load, only faster (tests/test_scope.py compares them).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from jushou_cli.load.layout import discover, read_file
from jushou_cli.load.plain import Loaded
from jushou_cli.load.reading import read_document
from jushou_cli.store.cached import load_cached
from jushou_cli.store.sources import Cases, MeetingPart, Part

MEETINGS = "meetings"


def load_part(root: Path, part: Part) -> Loaded | None:
    """The files `part` needs, loaded through the document cache; None: load the whole."""
    if isinstance(part, MeetingPart):
        return for_meeting(root, part.id)
    if isinstance(part, Cases) and len(part.ids) == 1:
        return for_case(root, part.ids[0])
    if isinstance(part, Cases) and all(_plain_id(c) for c in part.ids):
        return _load_cases(root, list(part.ids))
    return None


def _plain_id(case_id: str) -> bool:
    return bool(case_id) and "/" not in case_id and not case_id.startswith(".")


def _meeting_cases(root: Path, meeting_id: str) -> list[str] | None:
    """The case ids of the meeting file named `meeting_id`.yaml, or None when it is not one
    readable file of that name."""
    if not _plain_id(meeting_id):
        return None
    matches = sorted((root / MEETINGS).glob(f"*/{meeting_id}.yaml"))
    if len(matches) != 1:
        return None
    rel = matches[0].relative_to(root).as_posix()
    try:
        doc, _ = read_document(rel, read_file(root, rel), check_schema=False)  # only its cases
    except OSError:
        return None
    if doc is None or not isinstance(doc.data, dict):
        return None
    items = doc.data.get("items")
    if not isinstance(items, list):
        return [] if items is None else None
    cases = []
    for item in items:
        case = item.get("case") if isinstance(item, dict) else None
        if case is None and isinstance(item, dict) and isinstance(item.get("concern"), dict):
            continue  # a 気になる事案 not (yet) a case: nothing to load for it
        if not isinstance(case, str) or not _plain_id(case):
            return None
        cases.append(case)
    return cases


def _load_cases(root: Path, cases: list[str]) -> Loaded | None:
    folders = [MEETINGS]
    for case in dict.fromkeys(cases):
        if not (root / "cases" / case).is_dir():
            return None
        folders.append(f"cases/{case}")
    paths, _ = discover(root, folders)
    loaded = load_cached(root, paths=paths)
    if any(loaded.repository.case(c) is None for c in cases):
        return None
    if any(c.household_id for c in loaded.repository.cases):
        return None  # the household's other cases (エコマップ, case show) live in folders not read
    return dataclasses.replace(loaded, folders=tuple(folders))


def for_meeting(root: Path, meeting_id: str) -> Loaded | None:
    """The registries, all meetings and the folders of the meeting's cases; None: load all."""
    cases = _meeting_cases(root, meeting_id)
    if cases is None:
        return None
    loaded = _load_cases(root, cases)
    if loaded is None or loaded.repository.meeting(meeting_id) is None:
        return None
    return loaded


def for_case(root: Path, case_id: str) -> Loaded | None:
    """The registries, all meetings and the case's folder; None: load all."""
    if not _plain_id(case_id):
        return None
    return _load_cases(root, [case_id])
