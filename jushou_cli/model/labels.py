"""Japanese labels of the English codes, read from the schemas' `enumDescriptions` (one source:
what an editor shows on hover is what every output prints)."""

from __future__ import annotations

from functools import cache

from jushou_cli.model.contract import resolve, schema_files

# Derived, never stored (RECORDS.md): the case's status.
STATUS_LABELS = {
    "intake": "受付",
    "assessed": "アセスメント済",
    "active": "支援中",
    "closed": "終結",
    "suspended": "中断",
}


@cache
def enum(name: str) -> dict[str, str]:
    """code → label of the enum `name` in defs.schema.json (insertion order = schema order)."""
    schema = resolve(schema_files()["defs.schema.json"]["$defs"][name])
    codes = schema.get("enum", [])
    labels = schema.get("enumDescriptions", [""] * len(codes))
    return dict(zip(codes, labels, strict=False))


def label(name: str, code: str | None) -> str:
    """The Japanese label, or the code itself when it is unknown (never hide what was written)."""
    if code is None:
        return ""
    return enum(name).get(code, code)
