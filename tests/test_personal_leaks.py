"""Personal data never leaves jushou unasked. A copy of the sample town gets distinctive values in
every field the schemas mark `x-personal` (a case's person, a household member's name and notes,
a referral's name and contact) across several commits, and findings that touch them (a 和暦 birth
date, an unquoted phone with a leading zero, a household member inserted at the top of the list,
a referral added then deleted, a record's free text quoting a name); then every command is run in
every format, and nothing it prints or writes may hold one of those values. With `--reveal`,
handout and log do show them (so this test can see a value when there is one).

A personal value that the user copied into a free-text field (a summary naming the person, a
meeting held at the person's address, a commit's subject) is the same value: outputs scrub it
(model/redaction.Scrubber) as the report always did — when it belongs to a case the output is
about (the module docstring of model/redaction.py says why, and what stays).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, git
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.model.redaction import REDACTED
from jushou_cli.render.log import MASK

TODAY = "2026-11-20"
FYS = ("2024", "2025", "2026")

# The values planted, each one distinctive enough not to occur in the sample by chance.
PLANTED = (
    "漏洩太郎",  # C2024-0001 person.name (and quoted in a record's summary)
    "ロウエイタロウ",
    "秘密町9-9-9",
    "099-8765-4321",
    "漏洩花子",  # a household member's name, and inside her notes
    "主治医は秘密病院",
    "秘匿クリニック",  # the other member's notes
    "秘匿 次郎",  # C2025-0002, a name with a space: each part is a value too
    "ヒトク ジロウ",
    "1961-07-19",
    "隠れ里1-2-3",
    "0998765432",  # unquoted: YAML reads it as a number
    "998765432",
    "伏字四郎",  # C2025-0004, with a 和暦 birth date
    "フセジシロウ",
    "昭和50年3月2日",
    "1975-03-02",  # what the 和暦 date means: not to be shown either
    "S50.3.2",  # …and as jushou abbreviates a 和暦 date
    "非公開村5-5-5",
    "070-5555-6666",
    "070-5555-7777",  # written while C2025-0004's `kind:` was mistyped
    "密告三郎",  # R2024-0001
    "080-1111-2222",
    "0312345678",  # R2025-0002's contact, unquoted in the staged version only
    "312345678",
    "消去五郎",  # a referral added, then deleted
    "050-9999-0000",
)

PLANTED_CASES = ("C2024-0001", "C2025-0002", "C2025-0004")


def leaked(text: str) -> set[str]:
    return {value for value in PLANTED if value in text}


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _commit(root: Path, subject: str, when: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", subject, when=when)


REFERRAL = """kind: referral
id: R2025-0009
date: 2025-06-10
from:
  organization: zeimu
  staff: suzuki
person:
  pseudonym: Zさん
  name: 消去五郎
  contact: 050-9999-0000
consent: verbal
chief_complaint: 税の相談
topics: [finances]
to:
  - organization: marugoto
    date: 2025-06-11
    result: pending
"""


# Free text someone wrote with a personal value in it: (file, text replaced, replacement).
FREE_TEXT = (
    (
        "cases/C2024-0001/records/2024-07-10-accompaniment.yaml",
        "summary: >-\n",
        "summary: >-\n  漏洩太郎さん（秘密町9-9-9）の希望で、漏洩花子さんも同席。\n",
    ),
    ("cases/C2024-0001/sheets/2024-06-10-plan.yaml", "text: 週1回、", "text: 漏洩花子さんと週1回、"),
    ("cases/C2025-0002/case.yaml", "chief_complaint: ", "chief_complaint: 隠れ里1-2-3の家賃も、"),
    (
        "cases/C2025-0004/sheets/2025-10-20-intake_assessment.yaml",
        "person_situation: >-\n",
        "person_situation: >-\n  伏字四郎さん（非公開村5-5-5、070-5555-7777）。\n",
    ),
    (
        "meetings/2024/M2024-0002.yaml",
        "discussion: >-\n",
        "discussion: >-\n      漏洩太郎さん本人の希望を確認。\n",
    ),
    ("meetings/2024/M2024-0002.yaml", "  - プラン(第1版)を了承", "  - 漏洩太郎さんのプラン(第1版)を了承"),
    ("meetings/2024/M2024-0004.yaml", "place: 役場2階 第1会議室", "place: 本人宅（秘密町9-9-9）"),
    (
        "meetings/2025/M2025-0010.yaml",
        "resources_review: >-\n",
        "resources_review: >-\n  秘匿 次郎さんのように、\n",
    ),
)


def build(root: Path) -> Path:
    """The sample town with planted values, in nine commits and one staged change."""
    shutil.copytree(SAMPLE_REPO, root)
    (root / ".gitignore").write_text("out/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    _commit(root, "見本の町", "2026-01-05T10:00:00+09:00")

    case1 = "cases/C2024-0001/case.yaml"
    _edit(root, case1, "name: 野原 一樹", "name: 漏洩太郎")
    _edit(root, case1, "kana: ノハラ カズキ", "kana: ロウエイタロウ")
    _edit(root, case1, "address: ひばり野町東3-4-5", "address: 秘密町9-9-9")
    _edit(root, case1, "phone: 090-0000-0001", "phone: 099-8765-4321")
    _edit(root, case1, "notes: 要介護1、", "notes: 秘匿クリニックに通院。要介護1、")
    case2 = "cases/C2025-0002/case.yaml"
    _edit(root, case2, "name: 大森 正志", "name: 秘匿 次郎")
    _edit(root, case2, "kana: オオモリ マサシ", "kana: ヒトク ジロウ")
    _edit(root, case2, "birth_date: 1967-09-01", "birth_date: 1961-07-19")
    _edit(root, case2, "address: ひばり野町中央4-1-9 メゾンひばり102", "address: 隠れ里1-2-3")
    _edit(root, case2, "phone: 090-0000-0006", "phone: 0998765432")
    case4 = "cases/C2025-0004/case.yaml"
    _edit(root, case4, "name: 千田 トシ子", "name: 伏字四郎")
    _edit(root, case4, "kana: センダ トシコ", "kana: フセジシロウ")
    _edit(root, case4, "address: ひばり野町西3-9-4", "address: 非公開村5-5-5")
    _edit(root, case4, "phone: 090-0000-0008", "phone: 070-5555-6666")
    _edit(root, "referrals/2024/R2024-0001.yaml", "name: 野原 一樹", "name: 密告三郎")
    _edit(root, "referrals/2024/R2024-0001.yaml", "contact: 090-0000-0001", "contact: 080-1111-2222")
    _edit(root, "referrals/2025/R2025-0002.yaml", "name: 大森 正志", "name: 秘匿 次郎")
    _commit(root, "本人情報の更新", "2026-02-02T10:00:00+09:00")

    # A member inserted at the top: every later member's index shifts in the log's comparison.
    _edit(
        root,
        case1,
        "household:\n",
        "household:\n  - relation: 妹\n    pseudonym: Aさんの妹\n    name: 漏洩花子\n"
        "    birth_year: 1975\n    notes: 漏洩花子の主治医は秘密病院\n",
    )
    _commit(root, "世帯員を追加", "2026-03-03T10:00:00+09:00")

    referral = root / "referrals/2025/R2025-0009.yaml"
    referral.write_text(REFERRAL, encoding="utf-8")
    _commit(root, "つなぐシートを追加", "2026-04-04T10:00:00+09:00")
    referral.unlink()
    _commit(root, "つなぐシートを削除（重複）", "2026-05-05T10:00:00+09:00")

    # A case file whose `kind:` is mistyped still holds a person (the log must know it).
    _edit(root, case4, "kind: case", "kind: cse")
    _edit(root, case4, "phone: 070-5555-6666", "phone: 070-5555-7777")
    _commit(root, "電話番号の変更", "2026-05-20T10:00:00+09:00")
    _edit(root, case4, "kind: cse", "kind: case")
    _commit(root, "kind を直す", "2026-05-21T10:00:00+09:00")

    # Findings about personal values (a 和暦 birth date), and free text quoting them: the
    # user's own words, scrubbed all the same.
    _edit(root, case4, "birth_date: 1946-08-30", "birth_date: 昭和50年3月2日")
    for rel, old, new in FREE_TEXT:
        _edit(root, rel, old, new)
    _commit(root, "記録の追記", "2026-06-06T10:00:00+09:00")
    # A subject naming the person of the case it is about.
    _edit(root, case1, "note: 週3日の", "note: 漏洩太郎さん（ロウエイタロウ）は週3日の")
    _commit(root, "漏洩太郎さんの終結メモ", "2026-06-08T10:00:00+09:00")

    # Staged, not committed: the contact as a number (leading zero lost).
    _edit(root, "referrals/2025/R2025-0002.yaml", "contact: 090-0000-0006", "contact: 0312345678")
    git(root, "add", "-A")
    _edit(root, "referrals/2025/R2025-0002.yaml", "contact: 0312345678", "contact: 090-0000-0006")
    return root


def meetings_about(root: Path, cases: tuple[str, ...]) -> list[str]:
    return sorted(
        path.stem
        for path in root.glob("meetings/*/*.yaml")
        if any(case in path.read_text(encoding="utf-8") for case in cases)
    )


# --- what a command wrote, as text ---------------------------------------------------------------


def pdf_text(path: Path) -> str:
    """The text of every page and the document's metadata (title, subject, author)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
    assert text.returncode == 0 and info.returncode == 0, text.stderr + info.stderr
    return text.stdout + info.stdout


def xlsx_text(path: Path) -> str:
    """Every cell of every sheet, and the workbook's properties."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    cells = [
        str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c is not None
    ]
    props = book.properties
    return "\n".join(
        [*cells, *(str(v) for v in (props.title, props.subject, props.description, props.creator))]
    )


def file_text(path: Path) -> str:
    if path.suffix == ".pdf":
        return pdf_text(path)
    if path.suffix == ".xlsx":
        return xlsx_text(path)
    return path.read_bytes().decode("utf-8", errors="replace")


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


# --- every command -------------------------------------------------------------------------------


def commands(root: Path, out: Path) -> Iterator[tuple[str, list[str]]]:
    """(label, arguments): every command, in every format, about the planted cases."""
    repo = ["--repo", str(root)]
    planted = [str(root / "cases" / c) for c in PLANTED_CASES]
    for fmt in ("text", "json", "github"):
        yield f"validate {fmt}", ["validate", *repo, "-f", fmt]
        yield f"validate --staged {fmt}", ["validate", *repo, "--staged", "-f", fmt]
        yield f"validate --at HEAD {fmt}", ["validate", *repo, "--at", "HEAD", "-f", fmt]
        yield f"validate --at HEAD~3 {fmt}", ["validate", *repo, "--at", "HEAD~3", "-f", fmt]
        yield f"validate PATHS {fmt}", ["validate", *repo, "-f", fmt, *planted]
    for fmt in ("text", "json"):
        yield f"due {fmt}", ["due", *repo, "-f", fmt]
        yield f"due --at HEAD~2 {fmt}", ["due", *repo, "--at", "HEAD~2", "-f", fmt]
        yield f"case list {fmt}", ["case", "list", *repo, "-f", fmt]
        for case in PLANTED_CASES:
            yield f"case show {case} {fmt}", ["case", "show", case, *repo, "-f", fmt]
        yield f"audit {fmt}", ["audit", *repo, "-f", fmt]
        yield f"meeting list {fmt}", ["meeting", "list", *repo, "-f", fmt]
        yield f"doctor {fmt}", ["doctor", "-f", fmt]
        for target in (*PLANTED_CASES, *REFERRALS):
            yield f"log {target} {fmt}", ["log", target, *repo, "-f", fmt]
        since = ["--since", "2026-06-07"]  # only the last commit: no personal field in it
        yield f"log C2024-0001 --since {fmt}", ["log", "C2024-0001", *since, *repo, "-f", fmt]
    for fy in FYS:
        for fmt in ("text", "json", "csv"):
            args = ["indicators", *repo, "--fy", fy, "--compare", "1", "--explain", "all", "-f", fmt]
            yield f"indicators {fy} {fmt}", args
        yield f"report annual {fy}", ["report", "annual", *repo, "--fy", fy, "-o", str(out / f"report-{fy}")]
    yield "indicators --at HEAD~3", ["indicators", *repo, "--fy", "2025", "--at", "HEAD~3", "-f", "json"]
    at = ["--at", "HEAD~1", "-o", str(out / "report-2025-at")]
    yield "report annual --at", ["report", "annual", *repo, "--fy", "2025", *at]
    for meeting in meetings_about(root, PLANTED_CASES):
        for fmt in ("md", "html"):
            yield f"agenda {meeting} {fmt}", ["agenda", meeting, *repo, "-f", fmt]
        html = ["-f", "html", "-o", str(out / "handouts" / f"{meeting}.html")]
        yield f"handout {meeting} html", ["handout", meeting, *repo, *html]
    for case, timing in AGENDA_TIMINGS:
        for fmt in ("md", "html"):
            args = ["agenda", case, "--timing", timing, "-d", TODAY, *repo, "-f", fmt]
            yield f"agenda {case} {timing} {fmt}", args
    yield "handout pdf", ["handout", "M2024-0002", *repo, "-o", str(out / "handouts" / "M2024-0002.pdf")]
    per_attendee = ["--per-attendee", "-f", "html", "-o", str(out / "copies" / "M2024-0002.html")]
    yield "handout --per-attendee", ["handout", "M2024-0002", *repo, *per_attendee]
    every = ["--all", "--fy", "2024", "-f", "html", "--workers", "1", "-o", str(out / "all")]
    yield "handout --all", ["handout", *repo, *every]
    yield "meeting list ics", ["meeting", "list", *repo, "-f", "ics"]
    yield "renumber --dry-run", ["renumber", "C2024-0001", "C2024-0099", "--dry-run", *repo]
    for fmt in ("md", "html", "json"):
        yield (
            f"referral feedback {fmt}",
            ["referral", "feedback", "--from", "zeimu", "--fy", "2025", *repo, "-f", fmt],
        )
    yield (
        "referral feedback pdf",
        ["referral", "feedback", "--from", "zeimu", "--fy", "2025", *repo, "-o", str(out / "feedback.pdf")],
    )
    for fmt in ("text", "json"):
        yield f"referral suggest {fmt}", ["referral", "suggest", "--topic", "finances", *repo, "-f", fmt]
        yield f"find {fmt}", ["find", "さん", *repo, "-f", fmt]
    yield from _lists_and_forms(repo, out)


def _lists_and_forms(repo: list[str], out: Path) -> Iterator[tuple[str, list[str]]]:
    """The caseload as a spreadsheet, the registries, the paper forms of the planted cases."""
    yield "due csv", ["due", *repo, "-f", "csv"]
    yield "case list csv", ["case", "list", *repo, "-f", "csv"]
    yield "due xlsx", ["due", *repo, "-f", "xlsx", "-o", str(out / "lists" / "due.xlsx")]
    yield "meeting list csv", ["meeting", "list", *repo, "-f", "csv"]
    yield (
        "meeting list xlsx",
        ["meeting", "list", *repo, "-f", "xlsx", "-o", str(out / "lists" / "meetings.xlsx")],
    )
    yield "due ics", ["due", *repo, "-f", "ics", "-o", str(out / "lists" / "due.ics")]
    yield "case list xlsx", ["case", "list", *repo, "-f", "xlsx", "-o", str(out / "lists" / "cases.xlsx")]
    for registry in ("member", "org", "resource"):
        for fmt in ("text", "json", "csv"):
            yield f"{registry} list {fmt}", [registry, "list", *repo, "-f", fmt]
    for kind in ("referral", "intake", "plan", "evaluation"):
        for case in PLANTED_CASES:
            fmt = "pdf" if case == "C2024-0001" else "html"
            target = str(out / "forms" / f"{kind}-{case}.{fmt}")
            yield f"form {kind} {case} {fmt}", ["form", kind, case, *repo, "-f", fmt, "-o", target]


REFERRALS = ("referrals/2025/R2025-0009.yaml", "referrals/2024/R2024-0001.yaml")
AGENDA_TIMINGS = (
    ("C2024-0001", "closure"),
    ("C2025-0002", "plan_creation"),
    ("C2025-0004", "progress"),
    ("C2025-0004", "information_sharing"),
)


def invoke(args: list[str], cache: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, args, env={"JUSHOU_TODAY": TODAY, "JUSHOU_CACHE_DIR": str(cache)})
    return result.exit_code, f"{result.stdout}\n{result.stderr}"


@dataclass(frozen=True)
class Town:
    root: Path
    out: Path
    cache: Path
    outputs: dict[str, str]  # label → what it printed (and "file …" → a file written)
    codes: dict[str, int]
    new_files: set[Path]  # written into the repository (beside out/ and .git/)
    status_before: str  # git status before the commands ran, and after
    status_after: str


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Town:
    """The planted town, every command run once on it (shared by this module's tests)."""
    work = tmp_path_factory.mktemp("leaks")
    root = build(work / "repo")
    out, cache = work / "out", work / "cache"
    before = files_under(root)
    status = git(root, "status", "--porcelain")
    outputs: dict[str, str] = {}
    codes: dict[str, int] = {}
    for label, args in commands(root, out):
        codes[label], outputs[label] = invoke(args, cache)
    for path in sorted(files_under(out) | files_under(root / "out")):
        outputs[f"file {path.relative_to(work).as_posix()}"] = file_text(path)
    new = {p for p in files_under(root) - before if p.relative_to(root).parts[0] not in (".git", "out")}
    return Town(root, out, cache, outputs, codes, new, status, git(root, "status", "--porcelain"))


FAMILIES = (
    "validate",
    "due",
    "case",
    "audit",
    "doctor",
    "log",
    "indicators",
    "report",
    "agenda",
    "handout",
    "renumber",
    "referral",
    "find",
    "member",
    "org",
    "resource",
    "form",
    "meeting",
    "file",
)


@pytest.mark.parametrize("family", FAMILIES)
def test_no_output_holds_a_planted_value(town: Town, family: str) -> None:
    shown = {label: text for label, text in town.outputs.items() if label.split()[0] == family}
    assert shown, family
    leaks = {label: sorted(leaked(text)) for label, text in shown.items() if leaked(text)}
    assert leaks == {}


def test_every_command_ran_and_met_the_planted_values(town: Town) -> None:
    """The test is about something: every command did its work (validate finds the planted
    errors), and the planted values reached the outputs that quote text, scrubbed."""
    unexpected = {
        k: v for k, v in town.codes.items() if v != (1 if k.startswith(("validate", "audit")) else 0)
    }
    assert unexpected == {}, {k: town.outputs[k][-400:] for k in unexpected}
    assert not any("内部エラー" in text for text in town.outputs.values())
    for label in ("validate text", "validate --staged json", "audit text", "case show C2024-0001 text"):
        assert REDACTED in town.outputs[label], label
    assert "J013" in town.outputs["validate --staged json"] and "J105" in town.outputs["validate text"]
    assert "referrals/2025/R2025-0002.yaml" in town.outputs["validate --staged text"]  # only staged
    for label in ("agenda M2024-0002 md", "agenda M2024-0004 html", "file out/handouts/M2024-0002.pdf"):
        assert REDACTED in town.outputs[label], label
    assert f"{REDACTED}さんの終結メモ" in town.outputs["log C2024-0001 text"]  # the commit's subject
    assert f"{REDACTED}さん（{REDACTED}）は週3日" in town.outputs["log C2024-0001 --since text"]
    assert MASK in town.outputs["log C2025-0004 text"]  # changed while `kind:` was mistyped
    assert '"personal": true' in town.outputs["log referrals/2025/R2025-0009.yaml json"]
    assert REDACTED in town.outputs["file out/report-2025/report.pdf"]  # it quotes a review
    assert any(label.endswith("manifest.json") for label in town.outputs)
    assert REDACTED in town.outputs["find text"]  # a planted value in free text, found scrubbed
    assert "Fさん" in town.outputs["referral feedback md"]  # R2025-0002: its pseudonym, not its name


def test_nothing_else_is_written_and_the_cache_is_private(town: Town) -> None:
    """Outside out/ a run leaves the repository as it was (nothing to commit and share by
    mistake); the cache, which does hold records, is the user's alone."""
    assert town.new_files == set()
    assert town.status_after == town.status_before
    assert all((p.stat().st_mode & 0o077) == 0 for p in [town.cache, *files_under(town.cache)]), (
        "the cache folder and its files must be 0700/0600"
    )


def test_revealed_handout_and_log_show_the_values(town: Town, tmp_path: Path) -> None:
    """--reveal is the one way to see them: with it, the same commands show what the test looks
    for (so a value the test does not find is not a value it could not see)."""
    repo = ["--repo", str(town.root)]
    code, _ = invoke(["handout", "M2024-0002", *repo, "--reveal", "-o", str(tmp_path / "h.pdf")], town.cache)
    assert code == 0
    revealed = pdf_text(tmp_path / "h.pdf")
    assert {"漏洩太郎", "ロウエイタロウ", "秘密町9-9-9", "099-8765-4321", "漏洩花子"} <= leaked(revealed)
    assert "漏洩花子の主治医は秘密病院" in revealed.replace("\n", "")
    code, shown = invoke(["log", "C2024-0001", "--reveal", *repo], town.cache)
    assert code == 0 and {"漏洩太郎", "ロウエイタロウ", "秘密町9-9-9", "漏洩花子"} <= leaked(shown)
    code, shown = invoke(["log", REFERRALS[0], "--reveal", "-f", "json", *repo], town.cache)
    assert code == 0 and {"消去五郎", "050-9999-0000"} <= leaked(shown)
    code, shown = invoke(["log", "C2025-0004", "--reveal", *repo], town.cache)
    assert code == 0 and {"070-5555-6666", "070-5555-7777", "伏字四郎"} <= leaked(shown)


# --- validate, when the line of a personal value is itself the finding -------------------------

BROKEN = (
    ("name: 試験 花子", "name：漏洩太郎"),  # a full-width colon
    ("name: 試験 花子", "name: [漏洩太郎"),  # a bracket left open
    ("name: 試験 花子", "name: 漏洩太郎: 秘密町9-9-9"),  # a colon in the value
    ("intake:", "household: [{relation: 妹, name: 漏洩花子, birth_year: 0195}]\nintake:"),
    ("intake:", "household:\n  - {relation: 妹, notes: 0998765432}\nintake:"),
    ("person:\n  name: 試験 花子\n  phone: 090-0000-0000", "person: {name: 漏洩太郎, phone: 0998765432}"),
)


@pytest.mark.parametrize(("old", "new"), BROKEN)
def test_validate_quotes_no_personal_line(base_repo: Path, old: str, new: str) -> None:
    _edit(base_repo, "cases/C2024-0001/case.yaml", old, new)
    for fmt in ("text", "json", "github"):
        code, shown = invoke(["validate", "--repo", str(base_repo), "-f", fmt], base_repo.parent / "cache")
        assert code == 1, shown
        assert leaked(shown) == set(), (fmt, shown)
