"""jushou new community / training, `new record participation --stage`, and `case show`'s
household: each in a copy of sample_repo (whose areas.yaml names east and west)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO
from test_new import data, diagnostics, new, run


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE_REPO, tmp_path / "repo"))


def test_new_community_counts_people_in_the_right_place(sample: Path) -> None:
    rel = new(
        sample,
        "community",
        "--type",
        "salon",
        "--date",
        "2026-07-20",
        "--area",
        "east",
        "--resource",
        "hidamari",
        "--participants",
        "23",
        "--organization",
        "shakyo",
        "--staff",
        "nakamura",
    )
    assert rel == "community/2026/2026-07-20-salon.yaml"
    assert diagnostics(sample, rel) == []
    written = data(sample, rel)
    assert (written["participants"], written["area"], written["organizations"]) == (23, "east", ["shakyo"])
    text = (sample / rel).read_text(encoding="utf-8")
    assert "# 参加者数（人数）" in text and "名前・仮名は書きません" in text
    again = new(sample, "community", "--type", "salon", "--date", "2026-07-20")
    assert again == "community/2026/2026-07-20-salon-2.yaml"
    assert diagnostics(sample, again) == []


def test_new_training_in_its_fiscal_year_folder(sample: Path) -> None:
    rel = new(
        sample,
        "training",
        "--date",
        "R9.3.31",
        "--title",
        "断らない相談研修 第4回",
        "--course",
        "practice",
        "--invited",
        "250",
        "--attended",
        "202",
    )
    assert rel == "trainings/2026/2027-03-31.yaml"  # March 31 belongs to the year it ends
    assert diagnostics(sample, rel, today="2027-04-01") == []
    assert data(sample, rel)["attended"] == 202
    second = new(sample, "training", "--date", "2027-03-31", "--title", "同じ日の2回目")
    assert second == "trainings/2026/2027-03-31-2.yaml"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("community",), "--type"),
        (("community", "--type", "sallon"), "「salon」のことですか"),
        (("community", "--type", "salon", "--area", "north"), "圏域"),
        (("community", "--type", "salon", "--resource", "nowhere"), "社会資源"),
        (("community", "--type", "salon", "--participants", "-1"), "--participants"),
        (("training",), "--title"),
        (("training", "--title", "研修", "--course", "advanced"), "--course"),
        (("record", "visit", "C2026-0001", "--stage", "retention"), "participation"),
        (("record", "participation", "C2026-0001", "--stage", "kept"), "--stage"),
    ],
)
def test_new_refuses_what_it_cannot_write(sample: Path, args: tuple[str, ...], said: str) -> None:
    before = sorted(p.as_posix() for p in sample.rglob("*.yaml"))
    code, out, err = run("new", *args, "--repo", str(sample))
    assert code == 2 and said in out + err
    assert sorted(p.as_posix() for p in sample.rglob("*.yaml")) == before


def test_participation_record_with_its_stage(sample: Path) -> None:
    rel = new(sample, "record", "participation", "C2026-0001", "--resource", "bakery", "--stage", "retention")
    assert data(sample, rel)["stage"] == "retention"
    assert "stage: retention" in (sample / rel).read_text(encoding="utf-8")
    assert diagnostics(sample, rel) == []
    plain = new(sample, "record", "visit", "C2026-0001")
    assert "stage" not in data(sample, plain)


def test_case_show_lists_the_household_by_pseudonym_only() -> None:
    code, out, _ = run("case", "show", "C2026-0003", "--repo", str(SAMPLE_REPO))
    assert code == 0 and "世帯 H2025-0001: C2025-0006 Mさん" in out
    assert "青木" not in out  # the mother's name (person.name) stays in her case file
    code, out, _ = run("case", "show", "C2025-0006", "--repo", str(SAMPLE_REPO), "--format", "json")
    shown = json.loads(out)
    assert shown["household_id"] == "H2025-0001"
    assert shown["household"] == [{"case": "C2026-0003", "pseudonym": "Lさん"}]
    code, out, _ = run("case", "show", "C2024-0002", "--repo", str(SAMPLE_REPO), "--format", "json")
    assert (
        json.loads(out)["household"] == []
        and "世帯" not in run("case", "show", "C2024-0002", "--repo", str(SAMPLE_REPO))[1]
    )
