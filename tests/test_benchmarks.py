"""The benchmark harness's ratios taken side by side (benchmarks/pairs.py) and how the table reads
them (benchmarks/table.py): the order of the runs, the ratio, a failure, and which figure a
target reads."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import pairs, table  # noqa: E402

Captured = pytest.CaptureFixture[str]


def _pairs(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.pairs", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _appender(log: Path, word: str) -> str:
    return shlex.join([sys.executable, "-c", f"open({str(log)!r}, 'a').write({word!r})"])


def test_the_two_commands_run_in_turn_the_order_alternating(tmp_path: Path) -> None:
    log = tmp_path / "order"
    out = _pairs(
        "--name", "x", "--runs", "4", "--warmup", "1",
        "--a", _appender(log, "A"), "--b", _appender(log, "B"),
        "--a-prepare", _appender(log, "p"),
    )  # fmt: skip
    # warm-up A then B; then pairs A B, B A, A B, B A; A's prepare before each of its runs
    assert log.read_text() == "pABpABBpApABBpA"
    assert out.startswith("@pair=x|4|")


def test_the_ratio_is_the_median_of_the_pairs(tmp_path: Path) -> None:
    slow = shlex.join([sys.executable, "-c", "import time; time.sleep(0.4)"])
    fast = shlex.join([sys.executable, "-c", "import time; time.sleep(0.1)"])
    out = _pairs("--name", "slow ÷ fast", "--runs", "3", "--warmup", "0", "--a", slow, "--b", fast)
    pair = table._pair(out.removeprefix("@pair="))
    assert pair.name == "slow ÷ fast" and pair.runs == 3 and len(pair.walls) == 3
    assert pair.wall is not None and pair.wall > 1.2  # 0.4 s + start-up against 0.1 s + start-up
    assert pair.a_s is not None and pair.b_s is not None and pair.a_s > pair.b_s


def test_a_command_that_fails_gives_a_failed_line() -> None:
    broken = shlex.join([sys.executable, "-c", "raise SystemExit(3)"])
    out = _pairs("--name", "x", "--runs", "2", "--a", broken, "--b", broken)
    assert out.startswith("@pair=x|failed (") and "exited with 3" in out
    assert table._pair(out.removeprefix("@pair=")).failed


def test_runs_must_be_positive() -> None:
    with pytest.raises(SystemExit):
        pairs.main(["--name", "x", "--runs", "0", "--a", "true", "--b", "true"])


def _rows(tmp_path: Path, extra: list[str]) -> Path:
    meta = dict(cases="10", years="1", files="5", end_fy="2025", nproc="2", timer="timeit")
    meta |= dict(load_before="0", load_after="0", meeting="M", case="C", commit="abc")
    lines = [f"@{k}={v}" for k, v in meta.items()]
    lines += ["validate (warm)|0.900|5||100|0.5", "git status (floor)|0.300|5||10|0.1"]  # 3× by rows
    path = tmp_path / "rows"
    path.write_text("\n".join(lines + extra) + "\n", encoding="utf-8")
    return path


def _target(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"- {start}"))


def test_a_ratio_target_reads_its_pair_when_measured(tmp_path: Path, capsys: Captured) -> None:
    pair = (
        "@pair=warm validate ÷ git status|5|1.500|1.400|1.4,1.5,1.6,1.5,1.5|1.4,1.4,1.4,1.4,1.4|0.450|0.300"
    )
    table.main([str(_rows(tmp_path, [pair]))])
    text = capsys.readouterr().out
    assert _target(text, "warm validate, nothing changed") == (
        "- warm validate, nothing changed, ≤ 2× git status (1.50× side by side; rows 3.00×): met"
    )
    assert "| warm validate ÷ git status | 5 | 1.50 | 1.40–1.60 | 1.40 | 0.450 | 0.300 |" in text


def test_without_its_pair_a_ratio_target_reads_the_rows(tmp_path: Path, capsys: Captured) -> None:
    table.main([str(_rows(tmp_path, []))])
    text = capsys.readouterr().out
    assert _target(text, "warm validate, nothing changed") == (
        "- warm validate, nothing changed, ≤ 2× git status (3.00×): NOT met"
    )
    assert "side by side" not in text


SLOW, WATCHED = "due|1.800|5||100|1.5", "due (warm, watched)|{}|5||90|0.1"
ALONE, BESIDE = "1.800 s without a watcher", "git status 0.300 s"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (["due|0.400|5||100|0.3"], "(0.400 s without a watcher): met"),
        ([SLOW, WATCHED.format("0.200")], f"({ALONE}; 0.200 s with jushou watch; {BESIDE}): met"),
        ([SLOW], f"({ALONE}; {BESIDE}): NOT met"),
        ([SLOW, WATCHED.format("1.100")], f"({ALONE}; 1.100 s with jushou watch; {BESIDE}): NOT met"),
        ([], ": n/a"),
    ],
)
def test_a_warm_query_is_judged_as_the_town_runs_it_with_both_figures_shown(
    tmp_path: Path, capsys: Captured, rows: list[str], expected: str
) -> None:
    table.main([str(_rows(tmp_path, rows))])
    line = _target(capsys.readouterr().out, "due (warm)")
    assert line == "- due (warm) ≤ 1 s" + (" " if rows else "") + expected
