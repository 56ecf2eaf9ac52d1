"""Encrypting what is personal in a repository's files (docs/privacy.md): `jushou encrypt`
(every plain case and referral sealed, in one commit), `jushou keys rotate` (every sealed record
re-encrypted to a new data key wrapped to the current recipients, in one commit), and the
sealing of a new case. Each record file changes by yamledit's round trip: the personal values
leave their places and `person:` gets `key:` and the `encrypted:` block; nothing else moves.

The data keys' files go to the key store (git-ignored) before the records that need them, so an
interruption leaves at worst an unused key file, never a record nobody can open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.scalarstring import LiteralScalarString

from jushou_cli.model import sealed
from jushou_cli.model.records import Repository
from jushou_cli.store import git as gitstore
from jushou_cli.store.keys import (
    IGNORE,
    IGNORED,
    WHY,
    DataKey,
    KeysProblem,
    Opener,
    all_recipients,
    key_file,
    new_data_key,
)
from jushou_cli.system.files import write_atomic
from jushou_cli.write import journal, yamledit
from jushou_cli.write.ids import Refused


def changes_for(kind: str, data: dict[str, Any], key: DataKey) -> list[yamledit.Change]:
    """The edits that seal one record's plain personal values with `key`."""
    values = sealed.written_personal(kind, data)
    armored = LiteralScalarString(key.seal(sealed.payload_text(values)))
    out: list[yamledit.Change] = []
    for path, _ in values:
        if path != (sealed.BLOCK,):
            out.append(yamledit.Remove(path[:-1], str(path[-1])))
    if kind == "case":
        out.append(yamledit.SetKey((), sealed.BLOCK, {sealed.KEY: key.id, sealed.ENCRYPTED: armored}))
    else:
        if not isinstance(data.get(sealed.BLOCK), dict):
            out.append(yamledit.SetKey((), sealed.BLOCK, {}))
        out.append(yamledit.SetKey((sealed.BLOCK,), sealed.KEY, key.id))
        out.append(yamledit.SetKey((sealed.BLOCK,), sealed.ENCRYPTED, armored))
    return out


@dataclass(frozen=True)
class Sealing:
    """A change to the repository's records and the key files it needs."""

    edits: list[yamledit.Edited]
    keys: list[tuple[DataKey, bytes]]  # (key, its secret wrapped to the recipients)
    retired: list[str]  # key ids no record names any more (rotate)


def _records(repo: Repository) -> list[tuple[str, str, dict[str, Any]]]:
    return [("case", c.path, c.doc.data) for c in repo.cases] + [
        ("referral", r.path, r.doc.data) for r in repo.referrals
    ]


def encrypt_all(root: Path, repo: Repository) -> Sealing:
    """Seals every record that has plain personal values (a record already sealed and with a
    value written beside it in plain text is refused: open it first with keys rotate)."""
    to = all_recipients(root)
    edits, keys = [], []
    for kind, path, data in _records(repo):
        if not isinstance(data, dict) or not sealed.written_personal(kind, data):
            continue
        if sealed.sealed_block(kind, data) is not None:
            raise Refused(
                f"{path}: 暗号化した個人情報のほかに、平文の個人情報が書かれています",
                "jushou keys rotate で暗号文に入れ直してください",
            )
        key = new_data_key()
        edits.append(yamledit.prepare(root, path, changes_for(kind, data, key)))
        keys.append((key, _wrapped(key, to)))
    config = repo.config
    if config is not None and config.encryption is None:
        edits.append(yamledit.prepare(root, config.path, [yamledit.SetKey((), "encryption", True)]))
    return Sealing(edits, keys, [])


def rotate_all(root: Path, repo: Repository, opener: Opener) -> Sealing:
    """Every sealed record re-encrypted to a new data key wrapped to today's recipients, with
    any plain personal value written beside it taken in; refused when the user cannot open one
    (nothing is changed then)."""
    to = all_recipients(root)
    edits, keys, retired = [], [], []
    for kind, path, data in _records(repo):
        if not isinstance(data, dict):
            continue
        block = sealed.sealed_block(kind, data)
        if block is None:
            continue
        values, status = opener.values(kind, data)
        if values is None:
            raise Refused(f"{path} を開けないため暗号化し直せません: {WHY[status]}")
        plain = sealed.merged(data, values)
        key = new_data_key()
        changes = [yamledit.Remove((sealed.BLOCK,), k) for k in sealed.SEALED_KEYS]
        changes += [yamledit.Remove(p[:-1], str(p[-1])) for p, _ in sealed.written_personal(kind, data)]
        edited = yamledit.prepare(root, path, [*changes, *changes_for(kind, plain, key)])
        edits.append(edited)
        keys.append((key, _wrapped(key, to)))
        old = sealed.key_id(kind, data)
        if old:
            retired.append(old)
    return Sealing(edits, keys, retired)


def _wrapped(key: DataKey, to: list[str]) -> bytes:
    try:
        return key.wrapped(to)
    except KeysProblem as exc:
        raise Refused(exc.message, exc.hint) from None


def write_keys(root: Path, keys: Sequence[tuple[DataKey, bytes]]) -> None:
    """The key store's files; inside the repository, never without the `.gitignore` that keeps
    them out of git (a committed key file would outlive any purge in the history)."""
    keep_out = ignore_file(root)
    if keys and keep_out is not None:
        (root / IGNORE).parent.mkdir(exist_ok=True)
        write_atomic(root / keep_out.path, keep_out.data, overwrite=True)
    for key, wrapped in keys:
        target = key_file(root, key.id)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(target, wrapped, mode=0o600)


def ignore_file(root: Path) -> journal.FileChange | None:
    """`.jushou/.gitignore`, which keeps the key store and the access log out of git."""
    path = root / IGNORE
    if path.exists() and "keys/" in path.read_text(encoding="utf-8", errors="replace"):
        return None
    return journal.FileChange(IGNORE, IGNORED.encode("utf-8"))


def apply(root: Path, what: str, sealing: Sealing, also: Sequence[journal.FileChange] = ()) -> list[str]:
    """Writes the key files, then every record file together; returns the paths changed."""
    write_keys(root, sealing.keys)
    changes = [journal.FileChange(e.path, e.after.encode("utf-8")) for e in sealing.edits]
    journal.commit(root, what, [*changes, *also])
    return [c.path for c in changes] + [c.path for c in also]


def destroy_keys(root: Path, key_ids: Sequence[str]) -> list[str]:
    """Deletes the key store's files of these data keys (crypto-shredding: docs/privacy.md)."""
    gone = []
    for key_id in key_ids:
        try:
            path = key_file(root, key_id)
        except KeysProblem:
            continue
        if path.exists():
            path.unlink()
            gone.append(key_id)
    return gone


def git_commit(root: Path, paths: Sequence[str], message: str) -> str | None:
    """Commits exactly `paths` (added, changed or removed) with `message`; the new commit's id, or
    None when git refused (the files are written: the caller says how to commit by hand)."""
    if not paths:
        return None
    try:
        gitstore.git(root, "add", "-A", "--", *paths)
        gitstore.git(root, "commit", "-q", "-m", message, "--", *paths)
        return gitstore.git(root, "rev-parse", "--short", "HEAD").strip()
    except gitstore.GitError:
        return None


def with_person(root: Path, repo: Repository, path: str, text: str, person: dict[str, str]) -> str:
    """A new case's text with the person's values written in `person:` — sealed when the
    repository encrypts, its data key written to the key store first (the case file is written
    next, under the same lock: at worst a key no record names is left)."""
    from jushou_cli.load.yamldoc import parse

    given = [yamledit.SetKey((sealed.BLOCK,), k, v) for k, v in person.items() if v]
    if not given:
        return text
    _, text = yamledit.edit_text(path, text.encode("utf-8"), given)
    if not (repo.config and repo.config.encryption):
        return text
    doc, _ = parse(path, text)
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    key = new_data_key()
    wrapped = _wrapped(key, all_recipients(root))
    _, text = yamledit.edit_text(path, text.encode("utf-8"), changes_for("case", data, key))
    write_keys(root, [(key, wrapped)])
    return text


def sealed_new_cases(root: Path, repo: Repository, files: Sequence[tuple[str, str]]) -> list[str]:
    """New case files' texts (`jushou import cases`) with their `person:` sealed when the
    repository encrypts: each case its own data key, written to the key store before the case
    files (under the same lock: at worst a key no record names is left). Unchanged otherwise."""
    from jushou_cli.load.yamldoc import parse

    if not (repo.config and repo.config.encryption):
        return [text for _, text in files]
    to = all_recipients(root)
    out: list[str] = []
    keys: list[tuple[DataKey, bytes]] = []
    for path, text in files:
        doc, _ = parse(path, text)
        data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
        if not isinstance(data.get(sealed.BLOCK), dict):
            out.append(text)
            continue
        key = new_data_key()
        keys.append((key, _wrapped(key, to)))
        _, text = yamledit.edit_text(path, text.encode("utf-8"), changes_for("case", data, key))
        out.append(text)
    write_keys(root, keys)
    return out
