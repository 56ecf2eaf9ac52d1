"""`jushou member/org/resource list`: plain columns, JSON (a list of objects with the keys of
queries/registries.py) or csv."""

from __future__ import annotations

import json

from jushou_cli.model.dates import wareki
from jushou_cli.queries.registries import Registry
from jushou_cli.render.screen import Listing, Renderers
from jushou_cli.render.tabular import csv_text


def _shown(key: str, value: str | int | None) -> str:
    if value is None or value == "":
        return "—"
    if key in ("pledge_date", "end_date") and isinstance(value, str):
        from datetime import date

        return wareki(date.fromisoformat(value))
    return str(value)


def text(result: Registry) -> Listing:
    return Listing(
        result.headers,
        tuple(tuple(_shown(k, v) for k, v in zip(result.keys, row, strict=True)) for row in result.rows),
        title=f"{result.title}（{len(result.rows)} 件）",
    )


def as_json(result: Registry) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def as_csv(result: Registry) -> str:
    return csv_text(result.headers, result.rows)


RENDERERS: Renderers[Registry] = {"text": text, "json": as_json, "csv": as_csv}
