"""The record contract as the toolkit's JSON Schemas (schemas/) state it: the kinds, what each
key is called in Japanese, the codes' labels, which values are personal. Read from the schema
files themselves, so what an editor shows on hover is what every output prints; validating a
document against them is load/schema.py's work."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from jushou_cli.model.package_data import schemas_dir
from jushou_cli.model.records import Path

KINDS: tuple[str, ...] = (
    "config",
    "organizations",
    "members",
    "resources",
    "case",
    "intake_assessment",
    "plan",
    "evaluation",
    "strengths_grid",
    "record",
    "referral",
    "proposal",
    "meeting",
    "areas",
    "community",
    "training",
)


@cache
def schema_files() -> dict[str, dict[str, Any]]:
    """Every schema of the toolkit, by file name (how their relative $refs name each other)."""
    return {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(schemas_dir().glob("*.schema.json"))
    }


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """Follows a $ref between the toolkit's files (siblings of $ref, such as title, win)."""
    seen = 0
    while "$ref" in schema and seen < 20:
        ref: str = schema["$ref"]
        name, _, pointer = ref.partition("#")
        target: Any = schema_files()[name] if name else schema
        for part in filter(None, pointer.split("/")):
            target = target[part]
        merged = dict(target)
        merged.update({k: v for k, v in schema.items() if k != "$ref"})
        if "$ref" not in target:
            merged.pop("$ref", None)
        schema = merged
        seen += 1
    return schema


def display_path(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(ファイル全体)"


def property_schema(kind: str, path: Path) -> dict[str, Any]:
    """The schema that describes the value at `path` of a document of `kind` (best effort)."""
    schema = resolve(schema_files()[f"{kind}.schema.json"])
    for part in path:
        if isinstance(part, int):
            schema = resolve(schema.get("items", {}))
        else:
            extra = schema.get("additionalProperties")  # a mapping of any keys (targets' years)
            fallback = extra if isinstance(extra, dict) else {}
            schema = resolve(schema.get("properties", {}).get(part, fallback))
        for alt in schema.get("anyOf", []) + schema.get("oneOf", []):
            alt = resolve(alt)
            if alt.get("type") != "null":
                schema = {**alt, **{k: v for k, v in schema.items() if k in ("title",)}}
                break
    return schema


def field_name(kind: str, path: Path) -> str:
    title = property_schema(kind, path).get("title") if path else None
    return f"{display_path(path)}（{title}）" if title else display_path(path)


@cache
def personal_paths(kind: str) -> tuple[tuple[str, ...], ...]:
    """The paths the schema marks `x-personal` (`*` stands for any list index): the values that
    redaction hides and that history masks unless asked."""
    found: list[tuple[str, ...]] = []

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if not isinstance(node, dict):
            return
        node = resolve(node)
        if node.get("x-personal"):
            found.append(path)
        for key, sub in node.get("properties", {}).items():
            walk(sub, (*path, key))
        if "items" in node:
            walk(node["items"], (*path, "*"))

    if f"{kind}.schema.json" in schema_files():
        walk(schema_files()[f"{kind}.schema.json"], ())
    return tuple(found)


def is_personal(kind: str | None, path: Path) -> bool:
    """Whether the value at `path` is, or lies inside, a personal field."""
    if kind is None:
        return False
    for pattern in personal_paths(kind):
        if len(path) >= len(pattern) and all(
            p == "*" or p == str(part) for p, part in zip(pattern, path, strict=False)
        ):
            return True
    return False


@cache
def _id_pattern(name: str) -> re.Pattern[str]:
    return re.compile(resolve(schema_files()["defs.schema.json"]["$defs"][name])["pattern"])


def valid_id(kind: str, value: object) -> bool:
    """Whether `value` is an id of that kind ("case", "meeting", "referral", or "id" for a
    registry entry) as the schemas define it. An id read from a file names files (a handout, a
    case folder) only after this: `../../x` names nothing."""
    return (
        isinstance(value, str)
        and _id_pattern("id" if kind == "id" else f"{kind}_id").fullmatch(value) is not None
    )
