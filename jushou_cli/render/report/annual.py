"""`jushou report annual`: the section chief's year-end batch. From one loaded repository it makes
the report PDF (PDF/A-3b, the figures' JSON attached), indicators.xlsx, indicators.csv and
indicators.json — the last two the very bytes `jushou indicators --compare N --format csv/json`
prints.

The batch is a list of steps, each a plain function over the batch's state, so the CLI can show
progress and the tests can run it without a terminal. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jushou_cli import __version__
from jushou_cli.load.plain import Loaded
from jushou_cli.model.dates import fy_bounds, wareki_fy
from jushou_cli.model.records import Repository
from jushou_cli.queries.indicators import YearFigures, compute
from jushou_cli.queries.reviews import ResourceReview, resource_reviews
from jushou_cli.render import indicators as indicator_files
from jushou_cli.render.report import sections, tables
from jushou_cli.render.report.pdf import AttachedFile, render
from jushou_cli.render.report.tables import Cell, Table
from jushou_cli.render.report.xlsx import Sheet
from jushou_cli.store import worktree
from jushou_cli.store.git import Resolved
from jushou_cli.store.seam import Revision, WorkingTree, load
from jushou_cli.system.files import write_atomic

PDF, XLSX, CSV, JSON = "report.pdf", "indicators.xlsx", "indicators.csv", "indicators.json"
OUTPUTS = (PDF, XLSX, CSV, JSON)


@dataclass(frozen=True, slots=True)
class Provenance:
    """As of which commit the figures were computed, and what differed from it. `at` is what
    the user gave to `--at` (the working tree was then not read, so nothing differed)."""

    in_git: bool
    commit: str | None
    uncommitted: tuple[str, ...]
    at: str | None = None

    @property
    def dirty(self) -> bool:
        return bool(self.uncommitted)


@dataclass(frozen=True, slots=True)
class AnnualReport:
    fiscal_year: int
    town: str
    office: str
    made_on: date
    provenance: Provenance
    years: tuple[YearFigures, ...]
    sections: tuple[sections.Section, ...]  # the 実施状況 report's order; 社会資源の検討 after them
    definitions: Table
    first_year: int | None  # the fiscal year of the repository's first record
    reviews: tuple[ResourceReview, ...]
    figures_json: str
    figures_csv: str
    load_errors: int
    version: str = __version__

    @property
    def label(self) -> str:
        return wareki_fy(self.fiscal_year)

    @property
    def period(self) -> tuple[date, date]:
        return fy_bounds(self.fiscal_year)

    @property
    def title(self) -> str:
        return " ".join(p for p in (self.town, "重層的支援体制整備事業", self.label, "年次報告") if p)

    @property
    def sheets(self) -> list[Sheet]:
        """The workbook: a sheet per section, then the resources review and the definitions."""
        return [
            *(Sheet(s.title, tuple(s.tables)) for s in self.sections),
            Sheet(sections.REVIEWS_TITLE, (self.reviews_table,)),
            Sheet(self.definitions.name, (self.definitions,)),
        ]

    @property
    def no_data_before(self) -> str:
        """令和4年度 when the years compared begin before the first record's (shown 「—」)."""
        first = self.first_year
        return wareki_fy(first) if first is not None and self.years[0].fiscal_year < first else ""

    @property
    def reviews_number(self) -> int:
        return len(self.sections) + 1

    @property
    def reviews_table(self) -> Table:
        return Table(
            sections.REVIEWS_TITLE,
            "会議で検討した社会資源の不足・開発",
            ("開催日", "会議", "会議ID", "検討の内容"),
            tuple((r.date, r.meeting_type, r.meeting, r.text) for r in self.reviews),
        )

    def about(self) -> list[tuple[str, Cell]]:
        p = self.provenance
        if p.at is not None:
            state = f"読んでいません（--at {p.at} のコミットから計算）"
        elif not p.in_git:
            state = "git の管理外"
        else:
            state = f"未コミットの変更 {len(p.uncommitted)} 件" if p.dirty else "変更なし"
        return [
            ("自治体", self.town),
            ("担当", self.office),
            ("年度", self.label),
            ("比較した年度", f"{self.years[0].label}〜{self.years[-1].label}"),
            ("計算したコミット", p.commit or "（なし）"),
            ("作業中の変更", state),
            ("作成日", self.made_on),
            ("作成ツール", f"jushou {self.version}"),
        ]


def default_out_dir(root: Path, fy: int) -> Path:
    return root / "out" / f"report-{fy}"


# --- building the report's data --------------------------------------------------------------


def provenance(root: Path, revision: Resolved | None = None) -> Provenance:
    """The working tree's state, or the commit read for `--at` (the working tree not read)."""
    if revision is not None:
        return Provenance(True, revision.sha, (), revision.asked)
    changed = worktree.uncommitted(root)
    return Provenance(changed is not None, worktree.head_commit(root), tuple(changed or ()))


def build(
    repo: Repository,
    years: tuple[YearFigures, ...],
    state: Provenance,
    made_on: date,
    load_errors: int = 0,
    personal: frozenset[str] | None = None,
) -> AnnualReport:
    config = repo.config
    ids = sections.reading_order([i.id for i in years[-1].indicators])
    return AnnualReport(
        fiscal_year=years[-1].fiscal_year,
        town=config.town if config else "",
        office=config.office if config else "",
        made_on=made_on,
        provenance=state,
        years=years,
        sections=tuple(sections.build(repo, years)),
        definitions=tables.definitions(years, ids),
        first_year=sections.first_year(repo),
        reviews=tuple(resource_reviews(repo, years[-1].fiscal_year, personal)),
        figures_json=indicator_files.json_text(years, state.commit),
        figures_csv=indicator_files.csv_text(repo, years),
        load_errors=load_errors,
    )


# --- rendering -----------------------------------------------------------------------------


def _signed(value: int | float | str | None) -> str:
    if value is None or isinstance(value, str):  # no figure, or 「—」 (a year before any record)
        return ""
    if isinstance(value, float):  # a change of a median (referral_answer_days)
        return f"{value:+.1f}" if value else "±0"
    return f"{value:+d}" if value else "±0"


def _breakable(heading: str) -> Any:
    """令和6<wbr>年度: where a narrow column's heading may wrap."""
    from markupsafe import Markup, escape

    return Markup(escape(heading).replace("年度", Markup("<wbr>年度")))


def render_html(report: AnnualReport, root: Path | None) -> str:
    """The report as HTML from templates/report/annual.html.j2 (the repository may override it;
    with `--at`, its templates as committed then)."""
    from jushou_cli.store.templates import environment
    from jushou_cli.store.templates import render as render_template

    at = report.provenance.commit if report.provenance.at is not None else None
    env = environment(root, autoescape=True, at=at)
    env.filters["signed"] = _signed
    env.filters["breakable"] = _breakable
    return render_template(env, "report/annual.html.j2", report=report)


def made_at(report: AnnualReport) -> datetime:
    # Dates inside the PDF and the workbook are the report's day, not the clock's, so that the
    # same commit on the same day gives the same files.
    return datetime(report.made_on.year, report.made_on.month, report.made_on.day)


def make_pdf(report: AnnualReport, html: str, root: Path) -> bytes:
    attached = AttachedFile(
        JSON,
        report.figures_json.encode("utf-8"),
        f"{report.label}の指標（jushou indicators --format json と同じ内容）",
    )
    return render(html, root, [attached], made_at(report))


def make_xlsx(report: AnnualReport) -> bytes:
    from jushou_cli.render.report.xlsx import workbook

    return workbook(report.sheets, report.title, made_at(report), report.about())


# --- the batch -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    label: str
    run: Callable[[], None]


@dataclass(slots=True)
class AnnualBatch:
    """One run of `report annual`. `steps()` in order; `written` grows as files land. With a
    `revision` (`--at`) the records are read from that commit through git, not the working tree."""

    root: Path
    fiscal_year: int
    compare: int
    out_dir: Path
    today: date
    force: bool = False
    revision: Resolved | None = None
    loaded: Loaded | None = None
    years: tuple[YearFigures, ...] = ()
    state: Provenance | None = None
    report: AnnualReport | None = None
    html: str = ""
    written: list[Path] = field(default_factory=list)

    def targets(self) -> list[Path]:
        return [self.out_dir / name for name in OUTPUTS]

    def existing(self) -> list[Path]:
        """Outputs already there (refused without --force: nothing is written then)."""
        return [] if self.force else [p for p in self.targets() if p.exists()]

    def steps(self) -> list[Step]:
        first = wareki_fy(self.fiscal_year - self.compare)
        span = f"{first}〜{wareki_fy(self.fiscal_year)}" if self.compare else wareki_fy(self.fiscal_year)
        return [
            Step("ケース記録を読み込む", self.load),
            Step(f"指標を数える（{span}）", self.count),
            Step("git の状態を確かめる", self.check_git),
            Step("表とグラフを組む", self.assemble),
            Step(f"{JSON} と {CSV} を書く", self.write_json_csv),
            Step(f"{XLSX} を書く", self.write_xlsx),
            Step("報告書の HTML を組む", self.compose_html),
            Step(f"{PDF} を作る（PDF/A-3b）", self.write_pdf),
        ]

    def load(self) -> None:
        source = WorkingTree() if self.revision is None else Revision(self.revision.sha)
        self.loaded = load(self.root, source)

    def count(self) -> None:
        assert self.loaded is not None
        repo = self.loaded.repository
        self.years = tuple(
            compute(repo, y) for y in range(self.fiscal_year - self.compare, self.fiscal_year + 1)
        )

    def check_git(self) -> None:
        self.state = provenance(self.root, self.revision)

    def assemble(self) -> None:
        assert self.loaded is not None and self.state is not None
        errors = sum(1 for d in self.loaded.diagnostics if d.is_error)
        loaded = self.loaded
        self.report = build(loaded.repository, self.years, self.state, self.today, errors, loaded.personal)

    def _write(self, name: str, data: bytes) -> None:
        path = self.out_dir / name
        write_atomic(path, data, overwrite=self.force)
        self.written.append(path)

    def write_json_csv(self) -> None:
        assert self.report is not None
        self._write(JSON, self.report.figures_json.encode("utf-8"))
        self._write(CSV, self.report.figures_csv.encode("utf-8"))

    def write_xlsx(self) -> None:
        assert self.report is not None
        self._write(XLSX, make_xlsx(self.report))

    def compose_html(self) -> None:
        assert self.report is not None
        self.html = render_html(self.report, self.root)

    def write_pdf(self) -> None:
        """Raises PdfUnavailable when this machine cannot make a readable PDF."""
        assert self.report is not None
        self._write(PDF, make_pdf(self.report, self.html, self.root))
