"""The JSON Schemas of schemas/ applied to documents, with errors turned into diagnostics a
coordinator can act on (Japanese, at the key's line, with the nearest code when a value is a typo).

jsonschema is imported only when a validator is first needed (STACK.md: ~80 ms of start-up).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from jushou_cli.load.yamldoc import Document
from jushou_cli.model.contract import display_path, field_name, schema_files
from jushou_cli.model.dates import ISO_RE, DateError, iso_date, parse_date
from jushou_cli.model.diagnostics import Diagnostic, error
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


def check(doc: Document, kind: str) -> list[Diagnostic]:
    """Schema diagnostics of one document, one per problem (a date that breaks both the pattern
    and the format is one problem)."""
    found: list[Diagnostic] = []
    seen: set[tuple[Path, str]] = set()
    for err in _validator(kind).iter_errors(doc.data):
        for diag_path, diag in _translate(doc, kind, err):
            if (diag_path, diag.code) not in seen:
                seen.add((diag_path, diag.code))
                found.append(diag)
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

    def one(
        code: str, message: str, hint: str = "", pos: tuple[int, int] = at
    ) -> list[tuple[Path, Diagnostic]]:
        return [(path, error(code, doc.path, pos[0], pos[1], message, hint))]

    if validator == "required":
        out = []
        for key in value:
            if isinstance(instance, dict) and key not in instance:
                full = (*path, key)
                pos = doc.key_position(path) if path else (1, 1)
                out.append(
                    (
                        full,
                        error(
                            "J101",
                            doc.path,
                            pos[0],
                            pos[1],
                            f"必須の項目 {field_name(kind, full)} がありません (missing required key)",
                            f"「{key}: …」を書き足してください",
                        ),
                    )
                )
        return out
    if validator == "additionalProperties" and isinstance(instance, dict):
        known = list(sub.get("properties", {}))
        out = []
        for key in instance:
            if key in known:
                continue
            full = (*path, key)
            pos = doc.key_position(full)
            near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = (
                f"「{near[0]}」の書き間違いではありませんか？" if near else f"書ける項目: {', '.join(known)}"
            )
            where = f"{display_path(path)} に" if path else ""
            out.append(
                (
                    full,
                    error(
                        "J102",
                        doc.path,
                        pos[0],
                        pos[1],
                        f"{where}「{key}」という項目はありません (unknown key)",
                        hint,
                    ),
                )
            )
        return out
    if validator in ("enum", "const"):
        codes = list(value) if validator == "enum" else [value]
        labels = sub.get("enumDescriptions") or [""] * len(codes)
        pairs = list(zip(codes, labels, strict=False))
        listing = "、".join(f"{c}（{lab}）" if lab else str(c) for c, lab in pairs[:16])
        more = f"…（全{len(pairs)}種）" if len(pairs) > 16 else ""
        hint = f"使える値: {listing}{more}"
        if isinstance(instance, str):
            by_label = [
                c for c, lab in pairs if lab and instance in (lab, unicodedata.normalize("NFKC", lab))
            ]
            near = difflib.get_close_matches(instance, [str(c) for c in codes], n=1, cutoff=0.5)
            if by_label:
                hint = f"コードで書いてください: {by_label[0]}"
            elif near:
                label = dict(pairs).get(near[0], "")
                hint = f"「{near[0]}」（{label}）のことですか？ " + hint
        return one("J104", f"{name} に「{instance}」は使えません (unknown code)", hint)
    if sub.get("format") == "date" and validator in ("format", "pattern"):
        return _date_problem(doc, path, name, instance, at)
    if validator == "type":
        expected = [value] if isinstance(value, str) else list(value)
        want = "または".join(_TYPE_JA.get(t, t) for t in expected if t != "null")
        hint = ""
        if "string" in expected and isinstance(instance, int | float) and not isinstance(instance, bool):
            hint = f'文字として書くなら引用符で囲んでください: "{instance}"'
        elif "array" in expected:
            hint = "リストは [a, b] か、行頭の「- 」で書きます"
        elif "string" in expected and isinstance(instance, bool):
            hint = "文字として書くなら引用符で囲んでください"
        got = _TYPE_JA.get(_json_type(instance), "?")
        return one("J103", f"{name} は{want}で書きます（今は{got}） (wrong type)", hint)
    if validator == "pattern":
        examples = sub.get("examples") or []
        hint = f"例: {examples[0]}" if examples else f"形式: {value}"
        return one("J109", f"{name} の形式が違います: 「{instance}」 (bad format)", hint)
    if validator in ("minItems", "maxItems"):
        count = len(instance) if isinstance(instance, list) else 0
        need = f"{value}個以上" if validator == "minItems" else f"{value}個以下"
        if sub.get("minItems") == sub.get("maxItems"):
            need = f"ちょうど{value}個"
        return one(
            "J110",
            f"{name} は{need}必要です（今は{count}個） (wrong number of items)",
            "項目の数を確かめてください",
        )
    return one(
        "J111",
        f"{name}: 値が正しくありません (schema: {err.message})",
        "スキーマ (schemas/) の説明を確かめてください",
    )


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
    normal = unicodedata.normalize("NFKC", text).strip()
    if ISO_RE.match(text):
        code, message, hint = (
            "J107",
            f"{name}: {text} は存在しない日付です (no such date)",
            "月と日を確かめてください",
        )
    else:
        try:
            meant = parse_date(text).isoformat()
        except DateError as exc:
            if "存在しない" in str(exc) or "からです" in str(exc) or "もう" in str(exc):
                code, message, hint = "J107", f"{name}: {exc} (no such date)", "月と日を確かめてください"
            else:
                code, message, hint = (
                    "J108",
                    f"{name} が日付の形式ではありません: 「{text}」 (not a date)",
                    "日付は YYYY-MM-DD で書きます（例: 2024-05-15）",
                )
        else:
            if normal != text and iso_date(normal):
                code = "J106"
                message = f"{name} に全角の数字・記号が使われています: 「{text}」 (full-width digits)"
            elif any(ch in normal for ch in "RHSTMrhstm") or any(
                era in normal for era in ("令和", "平成", "昭和", "大正", "明治")
            ):
                code = "J105"
                message = f"{name} が和暦で書かれています: 「{text}」 (Japanese era date)"
            else:
                code = "J108"
                message = f"{name} が日付の形式ではありません: 「{text}」 (not ISO)"
            hint = f"ファイルには西暦の ISO 形式で書きます: {meant}"
    return [(path, error(code, doc.path, at[0], at[1], message, hint))]
