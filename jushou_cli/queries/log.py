"""`jushou log`: one case's or one file's field-level history (history.py), with the values of
personal fields taken out unless `--reveal` asked for them.

The redaction happens here, on the result, not in a renderer: what is not in the result cannot
be printed by any format, today's or a future one. A personal value quoted elsewhere — a summary
or a commit's subject naming the person — is scrubbed (model/redaction.py) of every personal value
the history shows and the target's file holds today.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from jushou_cli.model import redaction
from jushou_cli.model.redaction import FREE_TEXT_KEYS, NAME_KEYS, Scrubber, source_values
from jushou_cli.queries.history import Commit, FieldChange, history
from jushou_cli.store.keys import Opener


def redact(change: FieldChange, reveal: bool, scrubber: Scrubber | None = None) -> FieldChange:
    """A personal field keeps its path (that it changed is not secret) and loses its values,
    unless revealed; any other text value is scrubbed of the personal values (`scrubber`)."""
    if reveal:
        return change
    if change.personal:
        return replace(change, old=None, new=None, masked=True)
    if scrubber is None:
        return change
    old, new = scrubber.view(change.old), scrubber.view(change.new)
    return change if (old, new) == (change.old, change.new) else replace(change, old=old, new=new)


def redact_commit(commit: Commit, reveal: bool, scrubber: Scrubber | None = None) -> Commit:
    """The commit with `redact` applied to every field change of every file (and its subject
    scrubbed)."""
    files = [replace(f, fields=[redact(x, reveal, scrubber) for x in f.fields]) for f in commit.files]
    subject = scrubber.text(commit.subject) if scrubber and not reveal else commit.subject
    return replace(commit, files=files, subject=subject)


def values_seen(root: Path, specs: list[str], commits: list[Commit]) -> set[str]:
    """The personal values a log could quote outside their own fields: every one its history
    shows, and those the target's file holds today (a log `--since` may not reach the commit
    that wrote the name its summaries quote)."""
    names: list[object] = []
    others: list[object] = []
    for commit in commits:
        for change in commit.files:
            for x in change.fields:
                leaf = re.split(r"[.\[\]]", x.path.rstrip("]"))[-1]
                if x.personal and leaf not in FREE_TEXT_KEYS:
                    (names if leaf in NAME_KEYS else others).extend((x.old, x.new))
    found = redaction.known_values(names, others)
    for spec in specs:
        if spec.startswith(("../", "/")):
            continue  # not a file of the repository: git shows it no history either
        rel = f"{spec}case.yaml" if spec.endswith("/") else spec
        # No such file today (deleted, or not a file): the history's values only.
        with contextlib.suppress(OSError, UnicodeDecodeError):
            found |= source_values(rel, (root / rel).read_text(encoding="utf-8"), notes=False)
    return found


@dataclass(frozen=True, slots=True)
class Log:
    """`log`'s answer: the commits touching the target, oldest first."""

    target: str
    commits: tuple[Commit, ...]
    revealed: bool

    def to_json(self) -> list[dict[str, object]]:
        return [
            {
                "commit": c.sha,
                "author": c.author,
                "date": c.when.isoformat(),
                "subject": c.subject,
                "files": [
                    {
                        "status": f.status,
                        "path": f.path,
                        "old_path": f.old_path,
                        "fields": [
                            {"path": x.path, "personal": x.personal, "old": x.old, "new": x.new}
                            for x in f.fields
                        ],
                    }
                    for f in c.files
                ],
            }
            for c in self.commits
        ]


def pathspecs(root: Path, target: str, cwd: Path) -> tuple[list[str], bool]:
    """What git reads for `target`, and whether to follow a file across renames: a case id is
    its folder (cases/<id>/, every file in it); anything else is a path, from the current
    folder or the repository's root."""
    if (root / "cases" / target).is_dir() or target.startswith("C"):
        return [f"cases/{target}/"], False
    candidate = Path(target)
    full = candidate if candidate.is_absolute() else (cwd / candidate)
    try:
        return [full.resolve().relative_to(root).as_posix()], True
    except ValueError:
        return [target], True


def read_log(
    root: Path, target: str, since: str | None, reveal: bool, cwd: Path, opener: Opener | None = None
) -> Log:
    """Raises GitError when git cannot read the history. `opener`: the user's keys, which open
    the sealed versions (docs/privacy.md) — for `--reveal`, and to know what to scrub."""
    specs, follow = pathspecs(root, target, cwd)
    commits = history(root, specs, since, follow=follow, opener=opener)
    scrubber = None if reveal else Scrubber(values_seen(root, specs, commits))
    return Log(target, tuple(redact_commit(c, reveal, scrubber) for c in commits), reveal)
