"""What changed across the repository, per author, and the flags an auditor cares about:
- minutes of a held meeting changed more than `late_days` after the meeting;
- record files deleted;
- files committed that do not pass the per-file checks (encoding, YAML, schema);
- history rewritten under a recorded commit (a commit a report was computed from, or that an
  earlier audit saw as HEAD, is no longer an ancestor of HEAD);
- commits without a signature when the repository asks for signing (git config commit.gpgsign).
Read through one `git log` and one `git cat-file --batch`, like history.py.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from jushou_cli.load.layout import GIT_PATHSPECS
from jushou_cli.load.reading import read_document
from jushou_cli.load.yamldoc import Document
from jushou_cli.model.dates import iso_date
from jushou_cli.model.redaction import document_values, kind_of_path, scrub, source_values
from jushou_cli.store import git as gitstore

ANCHORS = "jushou-audit-anchors"  # under .git/: the HEADs earlier audits saw (local, not shared)


@dataclass(frozen=True, slots=True)
class Flag:
    code: str  # late_minutes deleted invalid rewritten unsigned
    commit: str
    author: str
    when: datetime | None
    path: str
    detail: str

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "commit": self.commit,
            "author": self.author,
            "date": self.when.isoformat() if self.when else None,
            "path": self.path,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class AuditResult:
    """`audit`'s answer: HEAD when it ran, the commits read, the record files each author
    created, changed and deleted, and the flags in time order."""

    head: str | None
    commits: int = 0
    by_author: Mapping[str, Counter[str]] = field(default_factory=dict)
    flags: tuple[Flag, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "head": self.head,
            "commits": self.commits,
            "authors": {
                a: {k: c[k] for k in ("created", "changed", "deleted")}
                for a, c in sorted(self.by_author.items())
            },
            "flags": [f.to_json() for f in self.flags],
        }


def _recorded_commits(root: Path) -> set[str]:
    """Commits something was computed from: reports and indicator JSON under out/, and the
    HEADs earlier audits saw."""
    found: set[str] = set()
    out = root / "out"
    if out.is_dir():
        for path in out.rglob("*.json"):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            commit = data.get("commit") if isinstance(data, dict) else None
            if isinstance(commit, str) and re.fullmatch(r"[0-9a-f]{40}", commit):
                found.add(commit)
    anchors = Path(gitstore.git(root, "rev-parse", "--git-dir").strip())
    anchors = (root / anchors if not anchors.is_absolute() else anchors) / ANCHORS
    if anchors.is_file():
        found |= {line.strip() for line in anchors.read_text().splitlines() if line.strip()}
    return found


def remember_head(root: Path, head: str) -> None:
    git_dir = Path(gitstore.git(root, "rev-parse", "--git-dir").strip())
    anchors = (root / git_dir if not git_dir.is_absolute() else git_dir) / ANCHORS
    known = anchors.read_text().split() if anchors.is_file() else []
    if head not in known:
        with anchors.open("a") as handle:
            handle.write(head + "\n")


def _is_ancestor(root: Path, commit: str, head: str) -> bool:
    try:
        gitstore.git(root, "merge-base", "--is-ancestor", commit, head)
    except gitstore.GitError:
        return False
    return True


def _personal(path: str, blob: bytes, doc: Document | None) -> set[str]:
    """The personal values of one committed version of a file, which a finding about it may
    quote (validate scrubs its messages of the repository's; this version is in no repository
    built): what the file's personal keys hold, read as YAML or, when it is not, line by line."""
    found = source_values(path, blob.decode("utf-8", errors="replace"))
    if doc is not None:
        found |= document_values(doc.kind or kind_of_path(path), doc.data)
    return found


def audit(
    root: Path, since: str | None = None, author: str | None = None, late_days: int = 14
) -> AuditResult:
    head = gitstore.git(root, "rev-parse", "--verify", "-q", "HEAD").strip() or None
    if head is None:
        return AuditResult(head)
    commits = 0
    by_author: defaultdict[str, Counter[str]] = defaultdict(Counter)
    flags: list[Flag] = []
    signing = gitstore.git_config(root, "commit.gpgsign") == "true"
    # Paths as they are (not octal-quoted), as history.py reads them.
    args = [
        "-c",
        "core.quotePath=false",
        "log",
        "--format=%x1e%H%x1f%an%x1f%aI%x1f%G?",
        "--name-status",
        "-M",
    ]
    if since:
        args.append(f"--since={since}")
    if author:
        args.append(f"--author={author}")
    out = gitstore.git(root, *args, *GIT_PATHSPECS)
    with gitstore.CatFile(root) as cat:
        for block in out.split("\x1e")[1:]:
            head_line, _, body = block.partition("\n")
            sha, name, when_text, signature = (head_line.split("\x1f") + [""] * 4)[:4]
            when = datetime.fromisoformat(when_text)
            commits += 1
            if signing and signature == "N":
                flags.append(
                    Flag(
                        "unsigned",
                        sha,
                        name,
                        when,
                        "",
                        "署名のないコミット（commit.gpgsign が有効なリポジトリ）",
                    )
                )
            for line in body.splitlines():
                parts = line.split("\t")
                if len(parts) < 2 or not parts[0]:
                    continue
                status, path = parts[0][0], parts[-1]
                if not path.endswith(".yaml"):
                    continue
                counts = by_author[name]
                if status == "A":
                    counts["created"] += 1
                elif status == "D":
                    counts["deleted"] += 1
                    flags.append(Flag("deleted", sha, name, when, path, "記録ファイルが削除されました"))
                    continue
                else:
                    counts["changed"] += 1
                blob = cat.read(f"{sha}:{path}")
                if blob is None:
                    continue
                doc, problems = read_document(path, blob)
                errors = [d for d in problems if d.is_error]
                if errors:
                    first = errors[0]
                    flags.append(
                        Flag(
                            "invalid",
                            sha,
                            name,
                            when,
                            path,
                            "検査に通らない内容がコミットされました: "
                            + scrub(f"{first.code} {first.message}", _personal(path, blob, doc)),
                        )
                    )
                if status != "A" and path.startswith("meetings/") and doc is not None:
                    meeting_date = iso_date(str(doc.data.get("date")))
                    if doc.data.get("status") == "held" and meeting_date is not None:
                        late = (when.date() - meeting_date).days
                        if late > late_days:
                            flags.append(
                                Flag(
                                    "late_minutes",
                                    sha,
                                    name,
                                    when,
                                    path,
                                    f"開催済みの会議（{meeting_date.isoformat()}）の記録が{late}日後に変更されました",
                                )
                            )
    for commit in sorted(_recorded_commits(root)):
        if not _is_ancestor(root, commit, head):
            flags.append(
                Flag(
                    "rewritten",
                    commit,
                    "",
                    None,
                    "",
                    "記録されたコミットが今の履歴にありません（履歴の書き換えか、別の枝）",
                )
            )
    flags.sort(key=lambda f: (f.when.timestamp() if f.when else 0.0, f.code, f.path))
    return AuditResult(head, commits, dict(by_author), tuple(flags))
