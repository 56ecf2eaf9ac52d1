"""The column map of `jushou import cases` (docs/import.md): which heading fills which key of a
case, how a code is written in the town's list, and defaults for keys the list has no column
for. The shipped default is `templates/import/cases-map.yaml` (a repository may keep its own
under its `templates/import/`); a `--map` file is added to it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jushou_cli.write.ids import BadValue, Refused
from jushou_cli.write.import_table import heading

FIELDS = {
    "intake.date": "受付日",
    "pseudonym": "仮名",
    "person.name": "氏名",
    "person.kana": "フリガナ",
    "person.birth_date": "生年月日",
    "person.gender": "性別",
    "person.address": "住所",
    "person.phone": "電話",
    "intake.route": "相談経路",
    "intake.from": "つなぎ元",
    "intake.received_by": "受付者",
    "coordinator": "担当",
    "chief_complaint": "主訴",
    "issues": "課題",
    "status": "状態",
    "closure.date": "終結日",
    "closure.reason": "終結理由",
    "notes": "備考",
    "ignore": "読まない列",
}
CODED = {"intake.route": "route", "issues": "issue", "closure.reason": "closure_reason"}
DEFAULTABLE = ("intake.route", "intake.from", "intake.received_by", "coordinator", "issues", "programs")
MAP_NAME = "import/cases-map.yaml"


@dataclass(frozen=True, slots=True)
class ColumnMap:
    headings: dict[str, str]  # heading (as compared) → field
    values: dict[str, dict[str, str]]  # field → {written (as compared) → code}
    defaults: dict[str, Any]

    def knows(self, text: str) -> bool:
        return text in self.headings


def _read(path: Path, what: str) -> dict[str, Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise BadValue(f"{what} {path} を読めません: {exc.strerror}") from None
    except (YAMLError, UnicodeDecodeError) as exc:
        raise Refused(f"{what} {path} を YAML として読めません: {type(exc).__name__}") from None
    if not isinstance(data, dict):
        raise Refused(f"{what} {path} は columns: / values: / defaults: を持つ対応表ではありません")
    return data


def _default_path(root: Path | None) -> Path:
    from jushou_cli.model.package_data import templates_dir

    own = root / "templates" / MAP_NAME if root is not None else None
    return own if own is not None and own.is_file() else templates_dir() / MAP_NAME


def load_map(root: Path | None, extra: Path | None) -> ColumnMap:
    headings: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    defaults: dict[str, Any] = {}
    layers = [(_default_path(root), "既定の対応表")]
    if extra is not None:
        layers.append((extra, "--map の対応表"))
    for path, what in reversed(layers):  # the --map first: its headings win
        data = _read(path, what)
        for field, names in (data.get("columns") or {}).items():
            if field not in FIELDS:
                raise Refused(
                    f"{what} {path.name}: columns の「{field}」は取り込み先ではありません",
                    "使える取り込み先: " + "、".join(FIELDS),
                )
            for name in names if isinstance(names, list) else [names]:
                headings.setdefault(heading(name), field)
        for field, table in (data.get("values") or {}).items():
            if isinstance(table, dict):
                for written, code in table.items():
                    values.setdefault(field, {}).setdefault(heading(written), str(code))
        for field, value in (data.get("defaults") or {}).items():
            if field not in DEFAULTABLE:
                raise Refused(
                    f"{what} {path.name}: defaults の「{field}」には既定値を置けません",
                    "置けるもの: " + "、".join(DEFAULTABLE),
                )
            defaults.setdefault(field, value)
    return ColumnMap(headings, values, defaults)
