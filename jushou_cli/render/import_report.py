"""What `jushou import cases` says: which heading fed which key, what each taken row becomes,
every refused row with its row number, column and reason, and the count of every row. Personal
values are never part of it (the problems carry none); `--reveal` adds the name to a taken row."""

from __future__ import annotations

from jushou_cli.model import labels
from jushou_cli.model.dates import wareki
from jushou_cli.write.import_map import FIELDS
from jushou_cli.write.importing import ImportPlan, Taken


def columns(result: ImportPlan) -> list[str]:
    read = "、".join(
        f"{head}→{FIELDS[key]}" + ("（個人情報）" if key.startswith("person.") else "")
        for key, head in result.columns.items()
    )
    lines = [f"読んだ列: {read}"]
    if result.unread_columns:
        lines.append(
            "読まなかった列: "
            + "、".join(result.unread_columns)
            + "（--map の columns で取り込み先を指定できます）"
        )
    if result.encoding:
        lines.append(f"文字コード: {result.encoding}")
    return lines


def taken_line(source: str, t: Taken, name: str | None = None) -> str:
    parts = [
        f"{source}:{t.row}: → {t.case_id} {t.pseudonym}",
        f"受付 {wareki(t.intake)}",
        f"相談経路 {labels.label('route', t.route)}",
        f"担当 {t.coordinator or '—'}",
    ]
    if t.closed:
        parts.append(f"終結 {wareki(t.closed)}")
    if name:
        parts.append(f"氏名 {name}")
    return "  ".join(parts)


def problems(result: ImportPlan) -> list[str]:
    return [f"{result.source}:{p.row}: 列「{p.column}」: {p.reason}" for p in result.refused]


def summary(result: ImportPlan, written: bool) -> str:
    refused = len(result.refused_rows)
    taken = result.rows - len(result.empty) - refused
    head = f"{result.source}: {result.rows} 行 — "
    if refused:
        return (
            head + f"取り込める {taken} 行・空の行 {len(result.empty)} 行・取り込めない {refused} 行。"
            "取り込めない行があるため、何も書いていません"
        )
    verb = "取り込みました" if written else "取り込めます（--dry-run: 何も書いていません）"
    return head + f"{len(result.taken)} 行を{verb}・空の行 {len(result.empty)} 行"
