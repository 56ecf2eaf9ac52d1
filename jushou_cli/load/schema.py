"""The JSON Schemas of schemas/ applied to documents, with errors turned into diagnostics a
coordinator can act on (Japanese, at the key's line, with the nearest code when a value is a typo).

Two validators, one answer: a document is first asked of jsonschema-rs (compiled, in Rust), which
only says whether it is valid; a document it does not call valid goes through jsonschema, whose
errors make every diagnostic, so messages and positions are jsonschema's alone. Most documents are
valid, and jsonschema spends most of its time resolving `$ref`s through `referencing`. The
compiled validator is trusted only to say "valid" where jsonschema finds no error:
tests/test_schema_compiled.py compares the two over every fixture, the sample town, a generated
city and mutated documents. Where they could differ it is told jsonschema's own rule (the date
format: Rust accepts the year 0000, Python's calendar does not); where it rejects what jsonschema
accepts (Python's `$` matches before a final newline), the document only takes the slower path.

Both are imported only when a validator is first needed: their import is a noticeable part of
start-up (STACK.md).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from jushou_cli.load.yamldoc import Document
from jushou_cli.model.catalogue import programme as targets
from jushou_cli.model.catalogue import schema as problems
from jushou_cli.model.contract import display_path, field_name, is_personal, schema_files
from jushou_cli.model.dates import ISO_RE, DateError, iso_date, parse_date
from jushou_cli.model.diagnostics import Diagnostic, Problem
from jushou_cli.model.records import Path

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_TYPE_JA = {
    "string": "文字",
    "integer": "整数",
    "number": "数値",
    "boolean": "真偽値 (true/false)",
    "array": "リスト",
    "object": "項目の集まり（キー: 値）",
    "null": "空",
}


# Keys that name or reach a person; in a record that only counts (`x-no-personal`) they are
# reported as such rather than as an unknown key.
_PERSONAL_KEY = re.compile(r"name|person|pseudonym|kana|address|phone|birth|氏名|名前|住所|電話|本人")


@cache
def _validator(kind: str) -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    files = schema_files()
    registry: Registry[Any] = Registry().with_resources(
        (name, Resource.from_contents(contents)) for name, contents in files.items()
    )
    return Draft202012Validator(
        files[f"{kind}.schema.json"],
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


# The compiled validator's name for the folder of schemas: their relative `$ref`s
# ("defs.schema.json#/$defs/date") resolve against it. Never fetched (the registry holds them all).
_BASE = "https://jushou.invalid/schemas/"


@cache
def _compiled(kind: str) -> Callable[[Any], bool] | None:
    """jsonschema-rs's `is_valid` for the kind's schema; None when it cannot be had (then
    jsonschema checks every document)."""
    try:
        import jsonschema_rs
        from jsonschema import Draft202012Validator
    except ImportError:  # pragma: no cover - a dependency of the package; absent only if broken
        return None
    checker = Draft202012Validator.FORMAT_CHECKER
    files = schema_files()
    try:
        registry = jsonschema_rs.Registry([(_BASE + name, contents) for name, contents in files.items()])
        validator = jsonschema_rs.validator_for(
            files[f"{kind}.schema.json"],
            registry=registry,
            base_uri=_BASE + f"{kind}.schema.json",
            validate_formats=True,
            formats={"date": lambda value: checker.conforms(value, "date")},
        )
    except Exception:  # a schema it cannot compile: jsonschema alone, as before
        return None
    return cast(Callable[[Any], bool], validator.is_valid)


def surely_valid(data: Any, kind: str) -> bool:
    """Whether the compiled validator finds `data` valid (False: ask jsonschema)."""
    valid = _compiled(kind)
    if valid is None:
        return False
    try:
        return valid(data)
    except Exception:  # a value it cannot take (an integer beyond 64 bits): jsonschema decides
        return False


def check(doc: Document, kind: str) -> list[Diagnostic]:
    """Schema diagnostics of one document, one per problem (a date that breaks both the pattern
    and the format is one problem)."""
    if surely_valid(doc.data, kind):
        return []
    found: list[Diagnostic] = []
    seen: set[tuple[Path, str]] = set()
    for err in _validator(kind).iter_errors(doc.data):
        for diag_path, diag in _translate(doc, kind, err):
            if (diag_path, diag.code) not in seen:
                seen.add((diag_path, diag.code))
                personal = is_personal(kind, diag_path)
                found.append(diag.masked(field_name(kind, diag_path)) if personal else diag)
    return found


def _best_branch(err: ValidationError) -> ValidationError | None:
    """For anyOf/oneOf (used for "value or null"), the error of the branch the writer meant."""
    candidates = [e for e in err.context or [] if not (e.validator == "type" and e.validator_value == "null")]
    if not candidates:
        return None
    return min(candidates, key=lambda e: (-len(e.absolute_path), e.validator == "type"))


def _translate(doc: Document, kind: str, err: ValidationError) -> list[tuple[Path, Diagnostic]]:
    if err.validator in ("anyOf", "oneOf") and (branch := _best_branch(err)) is not None:
        return _translate(doc, kind, branch)
    sub: dict[str, Any] = dict(err.schema) if isinstance(err.schema, Mapping) else {}
    path: Path = tuple(err.absolute_path)
    at = doc.position(path)
    name = field_name(kind, path)
    validator, value, instance = str(err.validator), cast(Any, err.validator_value), err.instance

    def one(problem: Problem, **values: object) -> list[tuple[Path, Diagnostic]]:
        return [(path, problem.in_file(doc.path, *at, name=name, **values))]

    if validator == "required":
        out = []
        for key in value:
            if isinstance(instance, dict) and key not in instance:
                full = (*path, key)
                pos = doc.key_position(path) if path else (1, 1)
                missing = problems.MISSING_KEY.in_file(doc.path, *pos, name=field_name(kind, full), key=key)
                out.append((full, missing))
        return out
    if validator == "additionalProperties" and isinstance(instance, dict):
        known = list(sub.get("properties", {}))
        out = []
        for key in instance:
            if key in known:
                continue
            full = (*path, key)
            pos = doc.key_position(full)
            if sub.get("x-no-personal") and _PERSONAL_KEY.search(str(key).lower()):
                out.append((full, problems.PERSONAL_KEY_IN_COUNTS.in_file(doc.path, *pos, key=key)))
                continue
            near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            if sub.get("x-indicators"):  # a target's key names an indicator (jushou.yaml targets)
                out.append((full, _unknown_indicator(doc.path, pos, key, near, sub)))
                continue
            within = {"parent": display_path(path)} if path else {}
            if near:
                problem = problems.UNKNOWN_KEY_IN_MISSPELT if path else problems.UNKNOWN_KEY_MISSPELT
                out.append((full, problem.in_file(doc.path, *pos, key=key, near=near[0], **within)))
            else:
                problem = problems.UNKNOWN_KEY_IN if path else problems.UNKNOWN_KEY
                out.append((full, problem.in_file(doc.path, *pos, key=key, known=", ".join(known), **within)))
        return out
    if validator in ("enum", "const"):
        codes = list(value) if validator == "enum" else [value]
        labels = sub.get("enumDescriptions") or [""] * len(codes)
        pairs = list(zip(codes, labels, strict=False))
        listing = "、".join(f"{c}（{lab}）" if lab else str(c) for c, lab in pairs[:16])
        more = f"…（全{len(pairs)}種）" if len(pairs) > 16 else ""
        if isinstance(instance, str):
            by_label = [
                c for c, lab in pairs if lab and instance in (lab, unicodedata.normalize("NFKC", lab))
            ]
            near = difflib.get_close_matches(instance, [str(c) for c in codes], n=1, cutoff=0.5)
            if by_label:
                return one(problems.LABEL_FOR_CODE, value=instance, code=by_label[0])
            if near:
                label = dict(pairs).get(near[0], "")
                return one(
                    problems.UNKNOWN_CODE_NEAR,
                    value=instance,
                    near=near[0],
                    label=label,
                    codes=listing + more,
                )
        return one(problems.UNKNOWN_CODE, value=instance, codes=listing + more)
    if sub.get("format") == "date" and validator in ("format", "pattern"):
        return _date_problem(doc, path, name, instance, at)
    if sub.get("x-count") and validator in ("type", "minimum"):
        shown = f"「{instance}」" if validator == "minimum" else _TYPE_JA.get(_json_type(instance), "?")
        return one(problems.NOT_A_COUNT, got=shown)
    if validator == "type":
        expected = [value] if isinstance(value, str) else list(value)
        want = "または".join(_TYPE_JA.get(t, t) for t in expected if t != "null")
        got = _TYPE_JA.get(_json_type(instance), "?")
        if "string" in expected and isinstance(instance, int | float) and not isinstance(instance, bool):
            return one(problems.WRONG_TYPE_NUMBER_FOR_TEXT, want=want, got=got, value=instance)
        if "array" in expected:
            return one(problems.WRONG_TYPE_FOR_LIST, want=want, got=got)
        if "string" in expected and isinstance(instance, bool):
            return one(problems.WRONG_TYPE_BOOLEAN_FOR_TEXT, want=want, got=got)
        return one(problems.WRONG_TYPE, want=want, got=got)
    if validator == "pattern":
        examples = sub.get("examples") or []
        if examples:
            return one(problems.BAD_FORMAT, value=instance, example=examples[0])
        return one(problems.BAD_FORMAT_PATTERN, value=instance, pattern=value)
    if validator in ("minItems", "maxItems"):
        count = len(instance) if isinstance(instance, list) else 0
        if sub.get("minItems") == sub.get("maxItems"):
            return one(problems.WRONG_NUMBER_OF_ITEMS, limit=value, count=count)
        limit = problems.TOO_FEW_ITEMS if validator == "minItems" else problems.TOO_MANY_ITEMS
        return one(limit, limit=value, count=count)
    return one(problems.OTHER_SCHEMA_ERROR, detail=err.message)


def _unknown_indicator(
    path: str, pos: tuple[int, int], key: str, near: list[str], sub: dict[str, Any]
) -> Diagnostic:
    ids = sub["properties"]
    if near:
        label = ids[near[0]].get("title", "")
        return targets.UNKNOWN_TARGET_INDICATOR_NEAR.in_file(
            path, *pos, indicator=key, near=near[0], label=label
        )
    return targets.UNKNOWN_TARGET_INDICATOR.in_file(path, *pos, indicator=key, ids=", ".join(ids))


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _date_problem(
    doc: Document, path: Path, name: str, value: Any, at: tuple[int, int]
) -> list[tuple[Path, Diagnostic]]:
    text = str(value)

    def one(problem: Problem, **values: object) -> list[tuple[Path, Diagnostic]]:
        return [(path, problem.in_file(doc.path, *at, name=name, **values))]

    if ISO_RE.match(text):
        return one(problems.NO_SUCH_DATE, text=text)
    try:
        meant = parse_date(text).isoformat()
    except DateError as exc:
        if "存在しない" in str(exc) or "からです" in str(exc) or "もう" in str(exc):
            return one(problems.NO_SUCH_DATE_AS_WRITTEN, reason=exc)
        return one(problems.NOT_A_DATE, text=text)
    normal = unicodedata.normalize("NFKC", text).strip()
    if normal != text and iso_date(normal):
        return one(problems.FULLWIDTH_DATE, text=text, meant=meant)
    if any(ch in normal for ch in "RHSTMrhstm") or any(
        era in normal for era in ("令和", "平成", "昭和", "大正", "明治")
    ):
        return one(problems.ERA_DATE, text=text, meant=meant)
    return one(problems.NOT_ISO_DATE, text=text, meant=meant)
