"""jushou referral answer / feedback / suggest, and the answers that `new case --referral` and
`new proposal` write: exit codes, the one-line edits, what the referrer is told (pseudonyms
only), and the ranking's evidence. Every command runs in a copy of sample_repo."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO
from typer.testing import CliRunner

from jushou_cli.checks.validate import validate
from jushou_cli.cli.app import app

TODAY = "2026-12-06"
PENDING = "referrals/2026/R2026-0003.yaml"  # to marugoto, sent 2026-11-18, pending


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"JUSHOU_TODAY": TODAY})
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE_REPO, tmp_path / "repo"))


def test_answer_writes_one_line_per_key_and_validates(sample: Path) -> None:
    before = (sample / PENDING).read_text(encoding="utf-8")
    code, out, err = run(
        "referral", "answer", "R2026-0003", "--to", "marugoto", "--result", "declined",
        "--reason", "母親の同意が得られない", "--date", "R8.12.1", "--repo", str(sample),
    )  # fmt: skip
    assert code == 0, err
    assert "R2026-0003 の marugoto へのつなぎに令和8年12月1日の回答「辞退」を記録しました" in out
    after = (sample / PENDING).read_text(encoding="utf-8")
    assert after == before.replace(
        "    result: pending\n",
        "    result: declined\n    answered: 2026-12-01\n    reason: 母親の同意が得られない\n",
    )
    assert validate(sample, date.fromisoformat(TODAY)).errors == 0
    code, _, err = run(
        "referral", "answer", "R2026-0003", "--to", "marugoto", "--result", "declined",
        "--outcome", "子ども家庭センターが見守りを続ける", "--date", "2026-12-01", "--repo", str(sample),
    )  # fmt: skip
    assert code == 0, err  # the reason written before stands
    assert (sample / PENDING).read_text(encoding="utf-8").count("\n") == after.count("\n") + 1


@pytest.mark.parametrize(
    ("args", "exit_code", "said"),
    [
        (["--to", "marugoto", "--result", "declined"], 2, "--reason: 受けなかった"),
        (
            ["--to", "marugoto", "--result", "connected", "--date", "2026-11-17"],
            1,
            "つないだ日 令和8年11月18日 より前",
        ),
        (["--to", "kodomo", "--result", "connected"], 2, "つなぎ先「kodomo」は見つかりません"),
        (["--to", "marugoto", "--result", "accepted"], 2, "--result: 「accepted」は使えません"),
        (["--to", "marugoto", "--result", "pending"], 1, "もうその内容になっています"),
        (["--result", "connected"], 2, "--to"),
    ],
)
def test_answer_refusals(sample: Path, args: list[str], exit_code: int, said: str) -> None:
    before = (sample / PENDING).read_bytes()
    code, _, err = run("referral", "answer", "R2026-0003", *args, "--repo", str(sample))
    assert (code, said in err) == (exit_code, True), err
    assert (sample / PENDING).read_bytes() == before


def test_unknown_referral_is_a_usage_error(sample: Path) -> None:
    code, _, err = run(
        "referral", "answer", "R2026-0009", "--to", "marugoto", "--result", "connected", "--repo", str(sample)
    )
    assert code == 2 and "R2026-0003" in err


def test_proposal_answers_its_referral_in_the_same_change(sample: Path) -> None:
    code, _, err = run("new", "proposal", "R2026-0003", "--author", "sato", "--repo", str(sample))
    assert code == 0, err
    text = (sample / PENDING).read_text(encoding="utf-8")
    assert "    result: proposal\n    answered: 2026-12-06\n" in text
    assert validate(sample, date.fromisoformat(TODAY)).errors == 0


def test_feedback_tells_the_referrer_with_pseudonyms_only(sample: Path) -> None:
    code, out, err = run("referral", "feedback", "--from", "zeimu", "--fy", "2025", "--repo", str(sample))
    assert code == 0, err
    assert "Fさん" in out and "大森" not in out and "090-0000-0006" not in out
    assert "令和7年6月2日" in out and "つながった" in out  # 和暦, the Japanese label
    code, out, _ = run(
        "referral", "feedback", "--from", "zeimu", "--fy", "2025", "--format", "json", "--repo", str(sample)
    )
    rows = json.loads(out)["rows"]
    assert [(r["referral"], r["to"], r["result"], r["answered"]) for r in rows] == [
        ("R2025-0002", "ひばり野町まるごと相談室", "connected", "2025-06-02"),
        ("R2025-0002", "ひばり野町生活自立相談窓口(生活困窮者自立相談支援)", "connected", "2025-06-02"),
    ]
    assert "name" not in json.dumps(rows) and "contact" not in json.dumps(rows)


def test_feedback_scrubs_a_name_copied_into_an_outcome(sample: Path) -> None:
    path = sample / "referrals/2025/R2025-0002.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "    answered: 2025-06-02\n",
            "    answered: 2025-06-02\n    outcome: 大森 正志さんは就職した\n",
            1,
        ),
        encoding="utf-8",
    )
    code, out, _ = run("referral", "feedback", "--from", "zeimu", "--fy", "2025", "--repo", str(sample))
    assert code == 0 and "〔個人情報〕さんは就職した" in out and "大森" not in out


def test_feedback_pdf_embeds_the_japanese_font(sample: Path, tmp_path: Path) -> None:
    target = tmp_path / "fb.pdf"
    code, _, err = run(
        "referral", "feedback", "--from", "houkatsu", "--fy", "2025", "-o", str(target), "--repo", str(sample)
    )
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF")
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"BIZ-UDPGothic\s+CID TrueType\s+Identity-H\s+yes", fonts), fonts
    code, _, err = run(
        "referral", "feedback", "--from", "houkatsu", "--fy", "2025", "-o", str(target), "--repo", str(sample)
    )
    assert code == 1 and "--force" in err  # never over an existing file unasked


def test_feedback_bad_arguments(sample: Path) -> None:
    assert run("referral", "feedback", "--repo", str(sample))[0] == 2
    code, _, err = run("referral", "feedback", "--from", "nowhere", "--repo", str(sample))
    assert code == 2 and "marugoto" in err


def test_suggest_ranks_by_connected_referrals_then_field(sample: Path) -> None:
    code, out, err = run(
        "referral", "suggest", "--topic", "finances", "--format", "json", "--repo", str(sample)
    )
    assert code == 0, err
    found = json.loads(out)["suggestions"]
    assert [s["organization"] for s in found] == ["jiritsu", "marugoto"]
    # the same record (R2024-0002 declined, R2025-0002 and R2026-0001 connected); jiritsu's field
    # takes finances
    assert found[0]["connected"] == 2 and found[0]["field_topics"] == ["finances"]
    assert found[1]["connected"] == 2 and found[1]["declined"] == 1 and found[1]["field_topics"] == []
    code, out, _ = run("referral", "suggest", "--topic", "employment", "--repo", str(sample))
    assert code == 0 and "ひばり野地域就労支援センター" in out and "分野 就労" in out
    code, _, err = run("referral", "suggest", "--topic", "money", "--repo", str(sample))
    assert code == 2 and "finances（家計・収入）" in err
    assert run("referral", "suggest", "--repo", str(sample))[0] == 2


def test_new_referral_without_receiver_suggests_one(sample: Path) -> None:
    code, _, err = run("new", "referral", "--from", "zeimu", "--topic", "finances", "--repo", str(sample))
    assert code == 2 and "--to jiritsu" in err
