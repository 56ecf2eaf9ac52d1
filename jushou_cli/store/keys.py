"""The keys of an encrypted repository, and the only module that imports pyrage (age).

Three kinds of key (docs/privacy.md has the reasons):
- an office's **identity** (an age X25519 secret key), one per PC user, outside the repository in
  the platform's config folder (`JUSHOU_IDENTITY` names another file), readable by its owner
  only;
- the **recipients** (public keys) of each organization, in the repository:
  `.jushou/recipients.yaml`, committed, read by every clone;
- a **data key** per case or referral (`person.key` names it): the record's personal values are
  encrypted to it, and its secret, encrypted to every recipient, is a file of the **key store**
  `.jushou/keys/<key id>.age` — git-ignored, so that deleting it (`retention purge`) leaves
  nothing in git's history that opens the record (`git config jushou.keystore` or
  `JUSHOU_KEYSTORE` names a folder the offices share instead).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from jushou_cli.model import sealed

IDENTITY_ENV = "JUSHOU_IDENTITY"
KEYSTORE_ENV = "JUSHOU_KEYSTORE"
STATE = ".jushou"
RECIPIENTS = ".jushou/recipients.yaml"
KEYS = ".jushou/keys"
ACCESS_LOG = ".jushou/access.log"
IGNORE = ".jushou/.gitignore"
IGNORED = "# jushou: データ鍵と閲覧の記録は git に入れない（docs/privacy.md）\nkeys/\naccess.log\n"


class KeysProblem(Exception):
    """Something about keys that stops a command: a Japanese message and what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def settings(root: Path) -> tuple[str | None, bool]:
    """(encryption, access_log) as jushou.yaml sets them, read without loading the repository
    (for `log`, which reads git's history rather than the working tree)."""
    from jushou_cli.load.yamldoc import parse

    try:
        doc, _ = parse("jushou.yaml", (root / "jushou.yaml").read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None, False
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    value = data.get("encryption")
    encryption = "required" if value == "required" else "on" if value is True else None
    return encryption, data.get("access_log") is True


# --- identities ---------------------------------------------------------------------------------


def identity_path() -> Path:
    named = os.environ.get(IDENTITY_ENV)
    if named:
        return Path(named)
    import platformdirs

    return Path(platformdirs.user_config_dir("jushou", appauthor=False)) / "identity.txt"


def permission_problem(path: Path) -> str | None:
    """A sentence when the identity file can be read by others than its owner (POSIX)."""
    if os.name != "posix":
        return None  # Windows keeps the file in the user's own profile folder
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return (
            f"秘密鍵 {path} をほかの利用者も読めます（{stat.filemode(mode)}）。"
            f"chmod 600 {path} で本人だけにしてください"
        )
    return None


def make_identity(path: Path) -> str:
    """Writes a new identity at `path` (never over an existing one), readable by its owner
    only; returns its public key."""
    from pyrage import x25519

    if path.exists():
        raise KeysProblem(
            f"秘密鍵 {path} はもうあります",
            "jushou keys show で公開鍵を確かめられます。作り直すと、今の鍵で暗号化した記録が読めなくなります",
        )
    identity = x25519.Identity.generate()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = f"# jushou の秘密鍵（人に渡さない・リポジトリに入れない）\n# public key: {identity.to_public()}\n"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text + f"{identity}\n")
    return str(identity.to_public())


def identities(path: Path | None = None) -> list[Any]:
    """The identities of the user's identity file; none when it is absent."""
    from pyrage import x25519

    path = path or identity_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        if line.strip().startswith("AGE-SECRET-KEY-"):
            try:
                found.append(x25519.Identity.from_str(line.strip()))
            except Exception:  # pyrage.IdentityError: a damaged line opens nothing
                continue
    return found


def public_keys(found: Iterable[Any]) -> list[str]:
    return [str(i.to_public()) for i in found]


def valid_recipient(text: str) -> bool:
    from pyrage import x25519

    try:
        x25519.Recipient.from_str(text)
    except Exception:  # pyrage.RecipientError
        return False
    return True


# --- recipients (in the repository) -------------------------------------------------------------


def recipients(root: Path) -> dict[str, list[str]]:
    """organization id → its public keys, as `.jushou/recipients.yaml` lists them."""
    try:
        data = yaml.safe_load((root / RECIPIENTS).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(org): [str(k) for k in keys if isinstance(k, str)]
        for org, keys in data.items()
        if isinstance(keys, list)
    }


def recipients_text(mapping: dict[str, list[str]]) -> str:
    lines = [
        "# 個人情報の暗号化の受取人（公開鍵）: 機関ごと。jushou keys add-recipient が書きます。",
        "# 鍵を外したら jushou keys rotate で暗号化し直してください（docs/privacy.md）。",
    ]
    for org in sorted(mapping):
        lines.append(f"{org}:")
        lines += [f"  - {key}" for key in mapping[org]]
    return "\n".join(lines) + "\n"


def all_recipients(root: Path) -> list[str]:
    return sorted({k for keys in recipients(root).values() for k in keys if valid_recipient(k)})


# --- data keys and the key store ---------------------------------------------------------------


def keystore(root: Path) -> Path:
    """Where the data keys are: `JUSHOU_KEYSTORE`, else the clone's `git config jushou.keystore`
    (a folder the offices share outside git), else the clone's git-ignored `.jushou/keys/`."""
    named = os.environ.get(KEYSTORE_ENV) or _configured_keystore(str(root))
    return Path(named).expanduser() if named else root / KEYS


@cache
def _configured_keystore(root: str) -> str | None:
    from jushou_cli.store.git import git_config

    return git_config(Path(root), "jushou.keystore")


def key_file(root: Path, key_id: str) -> Path:
    if not sealed.KEY_ID.fullmatch(key_id):  # an id read from a file names a file only so
        raise KeysProblem(f"データ鍵の ID「{key_id}」の形が正しくありません")
    return keystore(root) / f"{key_id}.age"


@dataclass(frozen=True)
class DataKey:
    id: str
    secret: Any  # pyrage.x25519.Identity

    def wrapped(self, to: list[str]) -> bytes:
        """The secret, encrypted to every recipient (the key store's file)."""
        import pyrage
        from pyrage import x25519

        if not to:
            raise KeysProblem(
                "暗号化の受取人（公開鍵）がありません",
                "jushou keys init で鍵を作り、jushou keys add-recipient 機関ID 公開鍵 で登録してください",
            )
        keys = [x25519.Recipient.from_str(k) for k in to]
        return bytes(pyrage.encrypt(str(self.secret).encode(), keys, armored=True))

    def seal(self, payload: str) -> str:
        import pyrage

        return bytes(pyrage.encrypt(payload.encode("utf-8"), [self.secret.to_public()], armored=True)).decode(
            "ascii"
        )


def new_data_key() -> DataKey:
    from pyrage import x25519

    return DataKey("k" + secrets.token_hex(8), x25519.Identity.generate())


def decrypt(armored: bytes, keys: list[Any]) -> bytes | None:
    """The plaintext, or None when none of `keys` opens it (or it is not an age message)."""
    import pyrage

    if not keys:
        return None
    try:
        return bytes(pyrage.decrypt(armored, keys))
    except Exception:  # pyrage.DecryptError and malformed input alike: not readable with these keys
        return None


# --- opening a record ----------------------------------------------------------------------------

OPENED = "opened"
NO_KEY_FILE = "no-key-file"
NOT_RECIPIENT = "not-recipient"
BROKEN = "broken"


@dataclass
class Opener:
    """Opens sealed records with the user's identities, each data key unwrapped once."""

    root: Path
    mine: list[Any]
    _keys: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_user(cls, root: Path) -> Opener:
        return cls(root, identities())

    def data_key(self, key_id: str) -> tuple[Any | None, str]:
        if key_id in self._keys:
            return self._keys[key_id], OPENED
        try:
            wrapped = key_file(self.root, key_id).read_bytes()
        except (OSError, KeysProblem):
            return None, NO_KEY_FILE
        plain = decrypt(wrapped, self.mine)
        if plain is None:
            return None, NOT_RECIPIENT
        from pyrage import x25519

        try:
            key = x25519.Identity.from_str(plain.decode("ascii").strip())
        except Exception:  # not a key: the file was damaged
            return None, BROKEN
        self._keys[key_id] = key
        return key, OPENED

    def values(self, kind: str | None, data: object) -> tuple[list[tuple[sealed.Concrete, Any]] | None, str]:
        """The personal values of a sealed record, and how opening went."""
        block = sealed.sealed_block(kind, data)
        if block is None:
            return [], OPENED
        key_id = sealed.key_id(kind, data)
        text = block.get(sealed.ENCRYPTED)
        if key_id is None or not sealed.is_armored(text):
            return None, BROKEN
        key, status = self.data_key(key_id)
        if key is None:
            return None, status
        plain = decrypt(str(text).encode("ascii", "replace"), [key])
        values = sealed.payload_values(plain.decode("utf-8", "replace")) if plain is not None else None
        return (values, OPENED) if values is not None else (None, BROKEN)


WHY = {
    NO_KEY_FILE: "データ鍵のファイルが鍵置き場にありません（削除済みか、鍵置き場を共有していません）",
    NOT_RECIPIENT: "あなたの秘密鍵はこの記録の受取人に入っていません",
    BROKEN: "暗号文が壊れているか、jushou の形ではありません",
}
