"""jushou import cases: a town's Excel/csv caseload becomes case files — every row accounted
for, refusals with row, column and reason, nothing half written, personal values never printed."""

from __future__ import annotations

# A row of a town's list and a line of the exact report read best whole:
# ruff: noqa: E501
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import HERE, materialize
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jushou_cli.checks.validate import validate
from jushou_cli.cli.app import app
from jushou_cli.load.plain import read_document
from jushou_cli.model.dates import wareki

runner = CliRunner()
TODAY = date(2025, 3, 1)
ENV = {"JUSHOU_TODAY": TODAY.isoformat()}

# あおば町's list, as a coordinator keeps it: a merged title, headings merged over two rows and
# 「本人」 over 氏名/フリガナ, 和暦 in several spellings, full-width digits, trailing spaces,
# an empty row, a numbered row with nothing else, an Excel date cell, labels instead of codes.
HEADINGS = [
    "No",
    "受付日",
    "本人",
    None,
    "生年月日",
    "性別",
    "住所 ",
    "相談経路",
    "担当者",
    "課題",
    "状態",
    "終結日",
    "年齢",
]
ROWS = [
    [1, datetime(2024, 5, 15), "青葉 花子 ", "アオバ ハナコ", "S50.3.2", "女", "あおば町1-2-3", "民生委員", "佐藤", "ダブルケア、就労", "支援中", None, 49],
    [2, "令和６年６月３日", "山川 太郎", "ヤマカワ タロウ", "昭和30年1月5日", "男", "あおば町2-1", "本人", "佐藤 恵", "高齢・8050", "継続", None, 69],
    [None] * 13,
    [4, "R6.7.1", "森 一", "モリ ハジメ", datetime(1990, 8, 8), "男", "", "家族から", "tanaka", "ひきこもり", "", None, None],
    [5, "2024/8/20 ", "川田 良子", None, None, "女", None, "関係機関", "木村", "困窮", "", None, None],
    [6] + [None] * 12,
]  # fmt: skip
SHEET_ROWS = [4, 5, 6, 7, 8, 9]  # the spreadsheet's row numbers of ROWS


def aoba_xlsx(path: Path, rows: list[list[object]] = ROWS) -> Path:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    ws = book.active
    ws.title = "受付簿"
    ws["A1"] = "令和6年度　まるごと相談 受付簿（あおば町）"
    ws.merge_cells("A1:M1")
    for col, head in enumerate(HEADINGS, start=1):
        if head is not None:
            ws.cell(row=2, column=col, value=head)
    for col in (1, 2, *range(5, 14)):
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    ws.merge_cells("C2:D2")
    ws["C3"], ws["D3"] = "氏名", "フリガナ"
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    book.save(path)
    return path


def csv_text(rows: list[list[object]] = ROWS) -> str:
    def cell(v: object) -> str:
        return v.strftime("%Y/%m/%d") if isinstance(v, datetime) else "" if v is None else str(v)

    head = ["No", "受付日", "氏名", "フリガナ", *[h or "" for h in HEADINGS[4:]]]
    return "\r\n".join(",".join(cell(v) for v in line) for line in [head, *rows]) + "\r\n"


@pytest.fixture
def town(tmp_path: Path) -> Path:
    return materialize(HERE / "cases" / "_none", tmp_path / "repo")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def files_of(root: Path) -> dict[str, bytes]:
    """The repository's files, without the lock's state folder (no git here: `.jushou/`)."""
    found = {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
    return {rel: p.read_bytes() for rel, p in found.items() if not rel.startswith(".jushou/")}


EXPECTED_PLAN = """\
読んだ列: 受付日→受付日、氏名→氏名（個人情報）、フリガナ→フリガナ（個人情報）、生年月日→生年月日（個人情報）、性別→性別（個人情報）、住所→住所（個人情報）、相談経路→相談経路、担当者→担当、課題→課題、状態→状態、終結日→終結日
{name}:4: → C2024-0002 Bさん  受付 令和6年5月15日  相談経路 民生委員  担当 sato
{name}:5: → C2024-0003 Cさん  受付 令和6年6月3日  相談経路 本人  担当 sato
{name}:7: → C2024-0004 Dさん  受付 令和6年7月1日  相談経路 家族  担当 tanaka
{name}:8: → C2024-0005 Eさん  受付 令和6年8月20日  相談経路 関係機関  担当 kimura
{name}: 6 行 — 4 行を取り込めます（--dry-run: 何も書いていません）・空の行 2 行
"""


def test_dry_run_prints_the_plan_and_writes_nothing(town: Path, tmp_path: Path) -> None:
    source = aoba_xlsx(tmp_path / "受付簿.xlsx")
    before = files_of(town)
    code, out, err = run("import", "cases", str(source), "--dry-run", "--repo", str(town))
    assert (code, err) == (0, "")
    assert out == EXPECTED_PLAN.format(name="受付簿.xlsx")
    assert files_of(town) == before
    for secret in ("青葉", "アオバ", "1975", "あおば町1-2-3", "女"):
        assert secret not in out


def test_import_writes_cases_that_validate(town: Path, tmp_path: Path) -> None:
    source = aoba_xlsx(tmp_path / "受付簿.xlsx")
    code, out, err = run("import", "cases", str(source), "--repo", str(town))
    assert code == 0, err
    assert out.splitlines()[-1] == "受付簿.xlsx: 6 行 — 4 行を取り込みました・空の行 2 行"
    doc, _ = read_document("c.yaml", (town / "cases/C2024-0002/case.yaml").read_bytes())
    assert doc is not None
    data = doc.data
    assert data["person"] == {
        "name": "青葉 花子",
        "kana": "アオバ ハナコ",
        "birth_date": "1975-03-02",
        "gender": "女",
        "address": "あおば町1-2-3",
    }
    assert data["intake"]["route"] == "welfare_commissioner"
    assert data["issues"] == ["double_care", "employment"]
    assert data["coordinator"] == "sato"
    b = read_document("c.yaml", (town / "cases/C2024-0003/case.yaml").read_bytes())[0]
    assert b is not None and b.data["issues"] == ["elderly", "eighty_fifty"]
    assert b.data["intake"]["date"] == "2024-06-03"
    assert validate(town, TODAY).errors == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_in_every_encoding_excel_writes(town: Path, tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "受付簿.csv"
    source.write_bytes(csv_text().encode(encoding))
    code, out, err = run("import", "cases", str(source), "--dry-run", "--repo", str(town))
    assert (code, err) == (0, "")
    label = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（BOM付き）", "cp932": "Shift_JIS（cp932）"}[encoding]
    lines = out.splitlines()
    # A csv's rows are its lines (the header is line 1), not the sheet's.
    assert lines[1] == f"文字コード: {label}"
    assert lines[2] == "受付簿.csv:2: → C2024-0002 Bさん  受付 令和6年5月15日  相談経路 民生委員  担当 sato"
    assert lines[-1] == "受付簿.csv: 6 行 — 4 行を取り込めます（--dry-run: 何も書いていません）・空の行 2 行"


BAD_ROWS = [
    [1, "令和6年13月1日", "誤 一", None, "S50.2.30", None, None, "民生さん", "佐藤", "ダブルケア", "", None, None],
    [2, "R6.6.1", "正 二", None, None, None, None, "本人", "鈴木", "高齢", "中断", None, None],
    [3, "R6.6.2", "正 三", None, None, None, None, "本人", "sato", "宇宙", "終結", None, None],
    [4, None, "受付日なし", None, None, None, None, None, "sato", None, "", None, None],
    [5, "R6.6.3", "正 五", None, None, None, None, "本人", "sato", None, "", "R6.5.1", None],
    [6, "R6.6.3", "青葉 花子", None, "S50.3.2", None, None, "本人", "sato", None, "", None, None],
    [7, "R6.6.4", "青葉 花子", None, "昭和50年3月2日", None, None, "本人", "sato", None, "", None, None],
    [8, "R6.6.5", "正 八", None, None, None, None, "本人", "sato", None, "", None, None],
]  # fmt: skip

EXPECTED_REFUSALS = """\
受付簿.xlsx:4: 列「受付日」: 日付「令和6年13月1日」として読めません（例 令和6年5月15日、R6.5.15、2024/5/15）
受付簿.xlsx:4: 列「生年月日」: 日付として読めません（例 令和6年5月15日、R6.5.15、2024/5/15）
受付簿.xlsx:4: 列「相談経路」: 「民生さん」は相談経路として読めません（使える値: 本人、家族、関係機関、民生委員、近隣住民、アウトリーチ、その他）
受付簿.xlsx:5: 列「担当者」: 「鈴木」は members.yaml にいません（jushou member add で加えるか、id で書いてください）
受付簿.xlsx:5: 列「状態」: 中断したケースは取り込めません（中断には中断を決めた会議と連絡不通の記録が要ります）。取り込むなら状態を空にし、あとで jushou case suspend で中断を記録してください
受付簿.xlsx:6: 列「課題」: 「宇宙」は課題として読めません（使える値: 高齢、障がい、子ども、生活困窮、ひきこもり、8050問題、ダブルケア、虐待、住まい、就労、家計、ごみ屋敷、近隣トラブル、健康・医療、認知症、権利擁護、社会的孤立、ヤングケアラー、DV、自殺リスク、再犯防止、外国人住民、借金・債務、その他）
受付簿.xlsx:6: 列「状態」: 状態が終結ですが終結日がありません
受付簿.xlsx:7: 列「受付日」: 受付日がありません（受付日はケースの年度と ID を決めます）
受付簿.xlsx:7: 列「相談経路」: 相談経路がありません（--map の defaults: に intake.route: other などと書けます）
受付簿.xlsx:8: 列「終結日」: 終結日が受付日より前です
受付簿.xlsx:10: 列「氏名」: 9行目と同じ人です（氏名と生年月日が同じ）
受付簿.xlsx: 8 行 — 取り込める 2 行・空の行 0 行・取り込めない 6 行。取り込めない行があるため、何も書いていません
"""


def test_refused_rows_are_all_reported_and_nothing_is_written(town: Path, tmp_path: Path) -> None:
    source = aoba_xlsx(tmp_path / "受付簿.xlsx", BAD_ROWS)
    before = files_of(town)
    code, out, err = run("import", "cases", str(source), "--repo", str(town))
    assert code == 1
    assert err == EXPECTED_REFUSALS
    assert files_of(town) == before
    for secret in ("誤 一", "青葉", "S50", "1975"):
        assert secret not in out + err


def test_a_second_import_of_the_same_list_is_refused(town: Path, tmp_path: Path) -> None:
    source = aoba_xlsx(tmp_path / "受付簿.xlsx")
    assert run("import", "cases", str(source), "--repo", str(town))[0] == 0
    code, _, err = run("import", "cases", str(source), "--repo", str(town))
    assert code == 1
    assert (
        "受付簿.xlsx:4: 列「氏名」: この人はすでにケース C2024-0002 にいます（氏名と生年月日が同じ）" in err
    )


def test_a_failure_while_writing_leaves_nothing(
    town: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jushou_cli.system import files

    source = aoba_xlsx(tmp_path / "受付簿.xlsx")
    before = files_of(town)
    real = files.write_temp
    calls = []

    def full_disk(path: Path, data: bytes, mode: int) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        real(path, data, mode)

    monkeypatch.setattr(files, "write_temp", full_disk)
    code, _, err = run("import", "cases", str(source), "--repo", str(town))
    assert code == 2
    assert "ファイルを書けません" in err
    assert files_of(town) == before
    assert not (town / "cases" / "C2024-0002").exists()


KILL = """
import os, sys
from jushou_cli.system import files
real = files.publish_new
done = []
def publish_new(tmp, path):
    real(tmp, path)
    done.append(path)
    if len(done) == 2:
        os._exit(9)  # killed between two files of one change
files.publish_new = publish_new
from jushou_cli.cli.app import main
sys.argv = ["jushou", *sys.argv[1:]]
main()
"""


def test_killed_half_way_the_next_command_finishes_the_import(town: Path, tmp_path: Path) -> None:
    source = aoba_xlsx(tmp_path / "受付簿.xlsx")
    env = {**os.environ, **ENV}
    done = subprocess.run(
        [sys.executable, "-c", KILL, "import", "cases", str(source), "--repo", str(town)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 9
    made = sorted(p.parent.name for p in (town / "cases").glob("*/case.yaml"))
    assert len(made) == 1 + 2  # the base case and the two renamed before the kill
    code, _, err = run("case", "list", "--format", "json", "--repo", str(town))
    assert code == 0
    assert "jushou import cases" in err  # the recovery says what it finished
    made = sorted(p.parent.name for p in (town / "cases").glob("*/case.yaml"))
    assert made == ["C2024-0001", "C2024-0002", "C2024-0003", "C2024-0004", "C2024-0005"]
    assert validate(town, TODAY).errors == 0


ROUTES = st.sampled_from(
    ["本人", "家族", "関係機関", "民生委員", "近隣住民", "アウトリーチ", "その他", "self"]
)
MEMBERS = st.sampled_from(["sato", "佐藤", "佐藤 恵", "佐藤恵", "田中 実", "tanaka", None])
ISSUES = st.lists(
    st.sampled_from(["高齢", "就労", "健康・医療", "8050問題", "ダブルケア", "debt"]), max_size=3
)


def spelt(day: date, how: int) -> object:
    """A date as an office writes it."""
    if how == 0:
        return datetime(day.year, day.month, day.day)
    if how == 1:
        return wareki(day)
    if how == 2:
        return f"{day.year}/{day.month}/{day.day} "
    if how == 3:
        return f"R{day.year - 2018}.{day.month}.{day.day}"
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    return f"{day.year}年{day.month}月{day.day}日".translate(full)


ROW = st.tuples(
    st.dates(date(2019, 5, 1), TODAY),
    st.integers(0, 4),
    ROUTES,
    MEMBERS,
    ISSUES,
    st.text(st.sampled_from("あいう山田花子 　"), max_size=6),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ROW, min_size=1, max_size=6))
# found by hypothesis: a full-width space inside one of two names that are otherwise the same
@example(
    [
        (date(2024, 5, 1), 0, "本人", "sato", [], "花う"),
        (date(2024, 5, 1), 0, "本人", "sato", [], "花\u3000う"),
    ]
)
def test_whatever_is_imported_validates(tmp_path_factory: pytest.TempPathFactory, rows: list[tuple]) -> None:  # type: ignore[type-arg]
    folder = tmp_path_factory.mktemp("prop")
    town = materialize(HERE / "cases" / "_none", folder / "repo")
    sheet = [
        [
            n,
            spelt(day, how),
            name or None,
            None,
            None,
            None,
            None,
            route,
            member,
            "、".join(issues),
            "",
            None,
            None,
        ]
        for n, (day, how, route, member, issues, name) in enumerate(rows, start=1)
    ]
    source = aoba_xlsx(folder / "list.xlsx", sheet)
    code, _, err = run("import", "cases", str(source), "--repo", str(town))
    named = [r for r in rows if r[5].strip(" 　")]
    # one person whatever the spaces, half- or full-width, around or inside the name
    if len({r[5].replace(" ", "").replace("　", "") for r in named}) < len(named):
        assert code == 1 and "同じ人です" in err  # two rows, one person: refused, not guessed
        return
    assert code == 0, err
    assert validate(town, TODAY).errors == 0
    assert len(list((town / "cases").glob("*/case.yaml"))) == 1 + len(rows)
    shutil.rmtree(folder)


def test_usage_problems_exit_2(town: Path, tmp_path: Path) -> None:
    source = aoba_xlsx(tmp_path / "受付簿.xlsx")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "title-only.csv").write_text("令和6年度 受付簿\n\n", encoding="utf-8")
    for args, message in [
        ([], "FILE（ケース一覧の xlsx か csv）を指定してください"),
        ([str(tmp_path / "none.xlsx")], "none.xlsx を読めません"),
        ([str(tmp_path / "old.xls")], "old.xls: xlsx か csv のファイルを指定してください"),
        ([str(source), "--sheet", "令和7年度"], "受付簿.xlsx に「令和7年度」というシートはありません"),
        ([str(source), "--map", str(tmp_path / "none.yaml")], "--map の対応表"),
    ]:
        code, _, err = run("import", "cases", *args, "--repo", str(town))
        assert (code, message in err) == (2, True), err
    code, _, err = run("import", "cases", str(tmp_path / "title-only.csv"), "--repo", str(town))
    assert code == 1
    assert "title-only.csv: 見出しの行が見つかりません" in err


def test_a_map_adds_headings_readings_and_defaults(town: Path, tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text("初回受付日,相談者,主担当者,経路メモ\nR6.4.10,東 一,sato,民児協\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "columns:\n  intake.date: [初回受付日]\n  person.name: [相談者]\n  coordinator: [主担当者]\n"
        "  intake.route: [経路メモ]\nvalues:\n  intake.route:\n    民児協: welfare_commissioner\n",
        encoding="utf-8",
    )
    code, out, err = run(
        "import", "cases", str(source), "--map", str(mapping), "--dry-run", "--repo", str(town)
    )
    assert (code, err) == (0, ""), err
    assert "list.csv:2: → C2024-0002 Bさん  受付 令和6年4月10日  相談経路 民生委員  担当 sato" in out


def test_an_encrypted_repository_gets_its_imported_names_sealed(tmp_path: Path) -> None:
    """In a repository that encrypts, an imported person is sealed as `new case` seals it: no
    name of the list is left in a case file, and the owner of a key opens them again."""
    from test_privacy import encrypted
    from test_privacy import run as run_with_key

    root, identity = encrypted(tmp_path)
    source = aoba_xlsx(tmp_path / "受付簿.xlsx", ROWS[:2])  # the two rows whose 担当 the sample has
    code, out, err = run_with_key(root, "import", "cases", str(source), identity=identity)
    assert code == 0, err
    written = [p for p in (root / "cases").glob("*/case.yaml") if "取り込みました" in p.read_text("utf-8")]
    assert len(written) == 2
    for name in ("青葉", "山川", "あおば町", "アオバ"):
        assert not [p for p in written if name in p.read_text("utf-8")], name
    code, out, err = run_with_key(root, "validate", "--check-keys", identity=identity)
    assert code == 0, out + err
    assert "J901" not in out and "J902" not in out
