"""The access log (`access_log: true` in jushou.yaml): a line per `--reveal`, appended to the
git-ignored `.jushou/access.log` of this clone — who, when, which records, which command.

It is a record kept by the honest, not a proof against the dishonest (docs/privacy.md): the user
who reveals owns the file and can edit or delete it, another clone keeps its own, and nothing is
written when someone reads the data without jushou (their identity opens it with the `age`
command as well). It answers "who printed this handout with names, and when".
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jushou_cli.store import git as gitstore
from jushou_cli.store.keys import ACCESS_LOG, IGNORE, IGNORED


@dataclass(frozen=True)
class Access:
    when: str  # ISO, with the time zone
    who: str
    command: str
    records: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"when": self.when, "who": self.who, "command": self.command, "records": list(self.records)}


def _who(root: Path) -> str:
    name = gitstore.git_config(root, "user.name")
    email = gitstore.git_config(root, "user.email")
    if name or email:
        return f"{name or ''} <{email or ''}>".strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return "?"


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def append(root: Path, command: str, records: Iterable[str]) -> None:
    """One line: when, who, command, records (tab-separated; the records comma-separated)."""
    path = root / ACCESS_LOG
    path.parent.mkdir(exist_ok=True)
    if not (root / IGNORE).exists():  # the log must never be committed by accident
        (root / IGNORE).write_text(IGNORED, encoding="utf-8")
    when = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    line = "\t".join((when, _clean(_who(root)), _clean(command), ",".join(sorted(set(records)))))
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags, 0o600)
    with os.fdopen(handle, "a", encoding="utf-8") as out:
        out.write(line + "\n")


def read(root: Path) -> list[Access]:
    try:
        lines = (root / ACCESS_LOG).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        parts = line.split("\t")
        if len(parts) == 4:
            found.append(Access(parts[0], parts[1], parts[2], tuple(filter(None, parts[3].split(",")))))
    return found
