"""Field-level history from git: who changed which field of which record, when, old → new.

One `git log` process lists the commits, the files they touched (renames followed with -M) and
the blob ids of both sides; one `git cat-file --batch` reads each blob once; the YAML of each side
is compared as data, so a re-indented file shows no change and a changed goal shows as
`goals[0].text`.
Personal fields (x-personal in the schemas) are marked; log.py takes their values out unless
revealed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jushou_cli.load.yamldoc import parse
from jushou_cli.model import sealed
from jushou_cli.model.contract import display_path, is_personal
from jushou_cli.model.redaction import kind_of_path
from jushou_cli.store import git as gitstore
from jushou_cli.store.keys import Opener

_MISSING = object()


@dataclass(frozen=True, slots=True)
class FieldChange:
    path: str
    old: Any
    new: Any
    personal: bool
    masked: bool = False  # a personal field whose values were taken out (log.redact)


@dataclass(slots=True)
class FileChange:
    status: str  # added modified deleted renamed
    path: str
    old_path: str | None
    fields: list[FieldChange] = field(default_factory=list)
    unreadable: bool = False  # one side is not YAML we can read: shown as a whole-file change
    blobs: tuple[str, str] = ("", "")  # git's ids of the old and new side ("000…" for none)


@dataclass(slots=True)
class Commit:
    sha: str
    author: str
    email: str
    when: datetime
    subject: str
    files: list[FileChange] = field(default_factory=list)


def diff(
    old: Any, new: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Any, Any]]:
    """(path, old, new) for every leaf that differs; lists are compared by position. A mapping
    or list that appears, vanishes or replaces a plain value is compared leaf by leaf too (with
    an empty one), so that every value keeps its own path — and a personal one is known as such:
    an added file's `person:` is its name and contact, each marked, not one unmarked object."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            yield from diff(old.get(key, _MISSING), new.get(key, _MISSING), (*path, key))
    elif isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            yield from diff(
                old[i] if i < len(old) else _MISSING, new[i] if i < len(new) else _MISSING, (*path, i)
            )
    elif isinstance(old, dict | list) or isinstance(new, dict | list):
        if isinstance(old, dict | list):
            yield from diff(old, type(old)(), path)
        elif old is not _MISSING:
            yield path, old, None
        if isinstance(new, dict | list):
            yield from diff(type(new)(), new, path)
        elif new is not _MISSING:
            yield path, None, new
    elif old != new or type(old) is not type(new):
        yield path, None if old is _MISSING else old, None if new is _MISSING else new


def _data(path: str, blob: bytes | None) -> tuple[Any, str | None, bool]:
    """(data, kind, readable) of one side of a change."""
    if blob is None:
        return None, None, True
    try:
        text = blob.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None, None, False
    doc, _ = parse(path, text)
    if doc is None:
        return None, None, False
    kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
    return doc.data, kind if isinstance(kind, str) else None, True


def _opened(side: tuple[Any, str | None, bool], opener: Opener | None) -> tuple[Any, str | None, bool]:
    """A version of a sealed record as it reads opened, when the user's keys open it (a version
    whose data key was destroyed by a purge or a rotation stays sealed)."""
    data, kind, readable = side
    if opener is None or sealed.sealed_block(kind, data) is None:
        return side
    values, _ = opener.values(kind, data)
    return (sealed.merged(data, values), kind, readable) if values is not None else side


_STATUS = {"A": "added", "M": "modified", "D": "deleted", "R": "renamed", "C": "added", "T": "modified"}


def history(
    root: Path,
    pathspecs: list[str],
    since: str | None = None,
    follow: bool = False,
    opener: Opener | None = None,
) -> list[Commit]:
    """Commits touching `pathspecs`, oldest first, each with its field-level changes.

    `--raw` gives the blob ids of both sides of every change, so cat-file reads blobs by id (no
    tree walk per `<commit>:<path>`) and each version of a file is parsed once, although it is the
    new side of one change and the old side of the next. With a commit-graph holding changed-path
    filters (`git commit-graph write --reachable --changed-paths`) git log skips the commits that
    did not touch the paths without opening their trees (docs/performance.md)."""
    args = ["-c", "core.quotePath=false", "log", "--format=%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%s"]
    args += ["--raw", "--no-abbrev", "-M"]
    if follow:
        args.append("--follow")
    if since:
        args.append(f"--since={since}")
    out = gitstore.git(root, *args, "--", *pathspecs)
    commits: list[Commit] = []
    for block in out.split("\x1e")[1:]:
        head, _, body = block.partition("\n")
        sha, author, email, when, subject = (head.split("\x1f") + [""] * 5)[:5]
        commit = Commit(sha, author, email, datetime.fromisoformat(when), subject)
        for line in body.splitlines():
            # :100644 100644 <old blob> <new blob> M<TAB>path   (R087<TAB>old<TAB>new for a rename)
            meta, *paths = line.split("\t")
            fields = meta.split(" ")
            if not meta.startswith(":") or len(fields) < 5 or not paths:
                continue
            status = _STATUS.get(fields[4][:1], "modified")
            new_path = paths[-1]
            old_path = paths[0] if len(paths) > 1 else new_path
            commit.files.append(FileChange(status, new_path, old_path, blobs=(fields[2], fields[3])))
        commits.append(commit)
    commits.reverse()  # oldest first (git's --reverse breaks --follow, so not asked of git)
    if not commits:
        return commits
    parsed: dict[str, tuple[Any, str | None, bool]] = {}

    def side(cat: gitstore.CatFile, path: str, blob_id: str) -> tuple[Any, str | None, bool]:
        if not blob_id.strip("0"):  # no such side: an added file has no old one
            return None, None, True
        if blob_id not in parsed:
            parsed[blob_id] = _opened(_data(path, cat.read(blob_id)), opener)
        return parsed[blob_id]

    with gitstore.CatFile(root) as cat:
        for commit in commits:
            for change in commit.files:
                old_id, new_id = change.blobs
                old, old_kind, ok_old = side(cat, change.old_path or change.path, old_id)
                new, new_kind, ok_new = side(cat, change.path, new_id)
                change.unreadable = not (ok_old and ok_new)
                kind = new_kind or old_kind
                # The file's place decides too: a case.yaml whose `kind:` is mistyped or missing
                # still holds a person.
                placed = {kind_of_path(p) for p in (change.path, change.old_path or change.path)}
                for path, before, after in diff(
                    old if old is not None else {}, new if new is not None else {}
                ):
                    personal = any(is_personal(k, path) for k in (kind, *placed))
                    change.fields.append(FieldChange(display_path(path), before, after, personal))
    return commits
