"""What `jushou report annual` tells its user: the cautions before the batch runs (`Outlook`),
and when it is done what it wrote and from which commit (`AnnualSummary`). Both are values read
off the batch; the functions below them word them (stderr for cautions, stdout for the summary)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jushou_cli.model.dates import fiscal_year, wareki, wareki_fy
from jushou_cli.render.report.annual import CSV, JSON, PDF, XLSX, AnnualBatch, Provenance
from jushou_cli.render.screen import Column, Renderers, Screen, Table, plain
from jushou_cli.store.worktree import is_ignored

SHOWN_PATHS = 5  # uncommitted files named one by one; `git status` lists the rest

ABOUT = {
    PDF: "報告書（PDF/A-3b、indicators.json を添付）",
    XLSX: "表ごとのシート（Excel）",
    CSV: "指標と内訳（UTF-8、BOM 付き）",
    JSON: "指標（jushou indicators --format json と同じ）",
}


@dataclass(frozen=True, slots=True)
class Outlook:
    """Before the run: is the year still open on the day counted (today, or the day `--at`
    stands on), and would the default out/ be committed with the records?"""

    fiscal_year: int
    as_of: date
    at: bool
    year_open: bool
    out_unignored: bool


def outlook(batch: AnnualBatch, as_of: date, default_place: bool) -> Outlook:
    unignored = default_place and is_ignored(batch.root, "out/") is False
    at = batch.revision is not None
    return Outlook(batch.fiscal_year, as_of, at, batch.fiscal_year >= fiscal_year(as_of), unignored)


@dataclass(frozen=True, slots=True)
class Written:
    name: str
    size: int  # bytes


@dataclass(frozen=True, slots=True)
class AnnualSummary:
    """After the run: the files written, and the state of git the figures were computed in
    (None when the batch stopped before it looked)."""

    out_dir: Path
    written: tuple[Written, ...]
    provenance: Provenance | None
    load_errors: int


def summarize(batch: AnnualBatch) -> AnnualSummary:
    report = batch.report
    return AnnualSummary(
        batch.out_dir,
        tuple(Written(p.name, p.stat().st_size) for p in batch.written),
        report.provenance if report else None,
        report.load_errors if report else 0,
    )


# --- in words ----------------------------------------------------------------------------------


def _caution(message: str) -> str:
    return f"jushou: 注意: {message}"


def cautions_before(seen: Outlook) -> list[str]:
    lines = []
    label = wareki_fy(seen.fiscal_year)
    if seen.year_open:
        if seen.at:
            lines.append(
                _caution(
                    f"{wareki(seen.as_of)}の時点では{label}はまだ終わっていません。その時点の記録で数えます"
                )
            )
        else:
            lines.append(_caution(f"{label}はまだ終わっていません。今日までの記録で数えます"))
    if seen.out_unignored:
        lines.append(
            _caution(
                "リポジトリの .gitignore に out/ がありません。報告書が記録と一緒にコミットされないよう、"
                ".gitignore に out/ の1行を加えてください"
            )
        )
    return lines


def cautions_after(summary: AnnualSummary) -> list[str]:
    state = summary.provenance
    if state is None:
        return []
    lines = []
    if not state.in_git:
        lines.append(
            _caution("リポジトリが git の管理下にないため、どの版の記録から計算したかを報告書に示せません")
        )
    elif state.commit is None:
        lines.append(_caution("まだコミットがありません。計算したコミットを報告書に示せません"))
    if state.dirty:
        lines.append(
            _caution(
                f"コミットされていない変更が {len(state.uncommitted)} 件あります。"
                "報告書はその作業中のファイルから計算しました（表紙にも書いています）。"
                "提出する前にコミットして作り直すことをすすめます"
            )
        )
        lines += [f"    {path}" for path in state.uncommitted[:SHOWN_PATHS]]
        if len(state.uncommitted) > SHOWN_PATHS:
            lines.append(f"    ほか {len(state.uncommitted) - SHOWN_PATHS} 件（git status で確かめられます）")
    if summary.load_errors:
        lines.append(
            _caution(
                f"読み込めなかった記録があります（エラー {summary.load_errors} 件）。"
                "jushou validate で確かめてください"
            )
        )
    return lines


def text(summary: AnnualSummary) -> Screen:
    table = Table(
        (Column("ファイル"), Column("大きさ", right=True), Column("内容")),
        tuple(
            (plain(w.name), plain(f"{w.size / 1024:,.1f} KB"), plain(ABOUT.get(w.name, "")))
            for w in summary.written
        ),
        title=f"書き出したファイル（{summary.out_dir}）",
    )
    state = summary.provenance
    if state is None:
        return Screen((table,))
    note = "（未コミットの変更あり）" if state.dirty else ""
    if state.at is not None:
        note = f"（--at {state.at}）"
    # Written as it is, never folded: the whole commit id, for copying.
    return Screen((table, f"計算したコミット: {state.commit or '（なし）'}{note}"))


RENDERERS: Renderers[AnnualSummary] = {"text": text}
