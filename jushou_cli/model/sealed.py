"""What an encrypted ("sealed") personal block looks like in a record file, as data — no
cryptography here (that is store/keys.py's, the only importer of pyrage). docs/privacy.md has the
whole design; in short, a case's or a referral's personal values leave their places and travel
together, encrypted once per record, in the record's `person:` mapping:

    person:                        # a case: the whole block, and the household's names and notes
      key: k3f9c0a1b2d4e6f80        # the record's data key (its secret is in the key store)
      encrypted: |
        -----BEGIN AGE ENCRYPTED FILE-----
        …
        -----END AGE ENCRYPTED FILE-----

A referral keeps `person.pseudonym` in plain text beside `key` and `encrypted`. Everything
else in the file stays where it was, so every command but `--reveal` reads the file as before.

The plaintext (the *payload*) is JSON: the personal values with the paths they came from, so
that opening puts each back where it was written (`merged`) and the checks, queries and outputs
see the same document as in a plain repository.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from jushou_cli.model.contract import personal_paths

SEALED_KINDS = ("case", "referral")
BLOCK = "person"  # where the sealed value sits in both kinds
KEY = "key"
ENCRYPTED = "encrypted"
SEALED_KEYS = (KEY, ENCRYPTED)
ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----"
ARMOR_END = "-----END AGE ENCRYPTED FILE-----"
KEY_ID = re.compile(r"k[0-9a-f]{16}")

Concrete = tuple[str | int, ...]


def sealed_block(kind: str | None, data: object) -> dict[str, Any] | None:
    """The record's `person:` mapping when it holds an encrypted value; None otherwise."""
    if kind not in SEALED_KINDS or not isinstance(data, dict):
        return None
    block = data.get(BLOCK)
    return block if isinstance(block, dict) and ENCRYPTED in block else None


def key_id(kind: str | None, data: object) -> str | None:
    """The data key's id a sealed record names, when it has that shape (it names a file)."""
    block = sealed_block(kind, data)
    value = block.get(KEY) if block else None
    return value if isinstance(value, str) and KEY_ID.fullmatch(value) else None


def is_armored(value: object) -> bool:
    return isinstance(value, str) and value.strip().startswith(ARMOR_BEGIN) and ARMOR_END in value


def _patterns(kind: str) -> list[tuple[str, ...]]:
    """The outermost personal paths of a kind (a path inside a personal block is the block's),
    without the sealed keys themselves."""
    found = [p for p in personal_paths(kind) if p and p[-1] not in SEALED_KEYS]
    return [p for p in found if not any(q != p and p[: len(q)] == q for q in found)]


def _expand(data: object, pattern: tuple[str, ...], at: Concrete = ()) -> list[Concrete]:
    """The concrete paths a pattern (`*` = any list index) names in `data` where a key is written."""
    if not pattern:
        return [at]
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if not isinstance(data, list):
            return []
        return [p for i, sub in enumerate(data) for p in _expand(sub, rest, (*at, i))]
    if not isinstance(data, dict) or head not in data:
        return []
    return _expand(data[head], rest, (*at, head))


def _get(data: Any, path: Concrete) -> Any:
    for part in path:
        data = data[part]
    return data


def written_personal(kind: str | None, data: object) -> list[tuple[Concrete, Any]]:
    """(path, value) of every personal value written in plain text, outside a sealed block: what
    sealing takes out, and what `validate` reports in an encrypted repository. An empty value
    (`name:`) is not personal data and is left where it is."""
    if kind not in SEALED_KINDS or not isinstance(data, dict):
        return []
    found: list[tuple[Concrete, Any]] = []
    for pattern in _patterns(kind):
        for path in _expand(data, pattern):
            value = _get(data, path)
            if isinstance(value, dict):
                value = {k: v for k, v in value.items() if k not in SEALED_KEYS}
                if all(v is None for v in value.values()) and sealed_block(kind, data) is not None:
                    continue
            if value is not None and value != {}:
                found.append((path, value))
    return found


def payload_text(values: list[tuple[Concrete, Any]]) -> str:
    return json.dumps({"values": [[list(p), v] for p, v in values]}, ensure_ascii=False, default=str)


def payload_values(text: str) -> list[tuple[Concrete, Any]] | None:
    """The payload's (path, value) pairs; None when the text is not a payload."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    values = data.get("values") if isinstance(data, dict) else None
    if not isinstance(values, list):
        return None
    out: list[tuple[Concrete, Any]] = []
    for entry in values:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], list)):
            return None
        path = tuple(p for p in entry[0] if isinstance(p, str | int))
        out.append((path, entry[1]))
    return out


def merged(data: dict[str, Any], values: list[tuple[Concrete, Any]]) -> dict[str, Any]:
    """`data` with the sealed block's values put back where they were written (a household
    member no longer in the list is left out) and the sealed keys gone: the plain document."""
    out = copy.deepcopy(data)
    block = out.get(BLOCK)
    if isinstance(block, dict):
        for key in SEALED_KEYS:
            block.pop(key, None)
    for path, value in values:
        if not path:
            continue
        if path == (BLOCK,) and isinstance(value, dict):
            current = out.get(BLOCK)
            out[BLOCK] = {**value, **(current if isinstance(current, dict) else {})}
            continue
        try:
            parent = _get(out, path[:-1])
        except (KeyError, IndexError, TypeError):
            if path[:-1] == (BLOCK,):
                out[BLOCK] = parent = {}
            else:
                continue
        if isinstance(parent, dict) and isinstance(path[-1], str) and parent.get(path[-1]) is None:
            parent[path[-1]] = value  # a value written in plain text beside it since is newer
    if isinstance(out.get(BLOCK), dict) and not out[BLOCK] and BLOCK not in data:
        del out[BLOCK]
    return out
