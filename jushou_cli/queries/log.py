"""`jushou log`: one case's or one file's field-level history (history.py), with the values of
personal fields taken out unless `--reveal` asked for them.

The redaction happens here, on the result, not in a renderer: what is not in the result cannot
be printed by any format, today's or a future one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from jushou_cli.queries.history import Commit, FieldChange, history


def redact(change: FieldChange, reveal: bool) -> FieldChange:
    """A personal field keeps its path (that it changed is not secret) and loses its values,
    unless revealed."""
    if not change.personal or reveal:
        return change
    return replace(change, old=None, new=None, masked=True)


def redact_commit(commit: Commit, reveal: bool) -> Commit:
    """The commit with `redact` applied to every field change of every file."""
    files = [replace(f, fields=[redact(x, reveal) for x in f.fields]) for f in commit.files]
    return replace(commit, files=files)


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


def read_log(root: Path, target: str, since: str | None, reveal: bool, cwd: Path) -> Log:
    """Raises GitError when git cannot read the history."""
    specs, follow = pathspecs(root, target, cwd)
    commits = history(root, specs, since, follow=follow)
    return Log(target, tuple(redact_commit(c, reveal) for c in commits), reveal)
