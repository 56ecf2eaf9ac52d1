"""Personal data at rest (docs/privacy.md): encrypted personal fields, keys, 保存年限.

- the sealed form round-trips: opening gives back exactly the plain documents;
- a recipient removed (and a rotation) cannot read what is written afterwards;
- a purge leaves the old blobs in git's history unreadable with every key that remains;
- every read-only command prints the same on an encrypted copy of the sample town as on the
  plain one, with and without a key;
- `git log -p` of a repository encrypted from its first commit holds no planted value;
- `--reveal` opens for a recipient and fails clearly (exit 2) for anyone else.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, git
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.load.yamldoc import parse
from jushou_cli.model import sealed
from jushou_cli.store.keys import OPENED, Opener, identities, make_identity
from jushou_cli.store.opened import open_repository
from jushou_cli.store.seam import load

TODAY = "2026-11-20"


def run(
    root: Path, *args: str, identity: Path | None = None, stdin: str | None = None
) -> tuple[int, str, str]:
    env = {"JUSHOU_TODAY": TODAY, "JUSHOU_IDENTITY": str(identity or root.parent / "no-identity.txt")}
    result = CliRunner().invoke(app, [*args, "--repo", str(root)], env=env, input=stdin)
    return result.exit_code, result.stdout, result.stderr


def public(identity: Path) -> str:
    return next(line.split()[-1] for line in identity.read_text().splitlines() if "public key" in line)


def town(tmp: Path, name: str = "town", commit_first: bool = True) -> Path:
    root = tmp / name
    shutil.copytree(SAMPLE_REPO, root)
    git(root, "init", "-q")
    git(root, "config", "user.name", "佐藤")
    git(root, "config", "user.email", "sato@example.jp")
    if commit_first:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "sample")
    return root


def keys_for(tmp: Path, root: Path, org: str = "marugoto", name: str = "me") -> Path:
    identity = tmp / f"{name}.txt"
    make_identity(identity)
    code, _, err = run(root, "keys", "add-recipient", org, public(identity), identity=identity)
    assert code == 0, err
    return identity


def encrypted(tmp: Path, name: str = "enc") -> tuple[Path, Path]:
    root = town(tmp, name)
    identity = keys_for(tmp, root)
    code, out, err = run(root, "encrypt", identity=identity)
    assert code == 0, err
    assert "コミットしました" in out
    return root, identity


def test_keys_init_is_private_and_warned_when_not(tmp_path: Path) -> None:
    identity = tmp_path / "config" / "identity.txt"
    result = CliRunner().invoke(app, ["keys", "init"], env={"JUSHOU_IDENTITY": str(identity)})
    assert result.exit_code == 0
    assert stat.S_IMODE(identity.stat().st_mode) == 0o600
    assert public(identity) in result.stdout
    again = CliRunner().invoke(app, ["keys", "init"], env={"JUSHOU_IDENTITY": str(identity)})
    assert again.exit_code == 2 and "もうあります" in again.stderr
    identity.chmod(0o644)
    root = town(tmp_path, commit_first=False)
    shown = CliRunner().invoke(
        app, ["keys", "show", "--repo", str(root)], env={"JUSHOU_IDENTITY": str(identity)}
    )
    assert "chmod 600" in shown.stderr


def test_the_sealed_form_round_trips_and_only_personal_values_change(tmp_path: Path) -> None:
    plain = town(tmp_path, "plain")
    root, identity = encrypted(tmp_path)
    before = load(plain, findings=False).repository
    after = load(root, findings=False).repository
    opened, closed = open_repository(after, root, Opener(root, identities(identity)))
    assert closed == []
    for a, b in zip(before.cases, opened.cases, strict=True):
        assert a.doc.data == b.doc.data, a.id
        assert _values(a.person) == _values(b.person)
        assert [_values(h) for h in a.household] == [_values(h) for h in b.household]
    for a, b in zip(before.referrals, opened.referrals, strict=True):
        assert a.doc.data == b.doc.data, a.id
    for case in after.cases:  # sealed: no personal value left in the file
        assert sealed.written_personal("case", case.doc.data) == []
        assert sealed.key_id("case", case.doc.data) is not None
    diff = git(root, "show", "HEAD", "--", "cases/C2024-0001/case.yaml")
    changed = [
        line
        for line in diff.splitlines()
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert all("person" in line or line[1:].startswith(("  ", "    ")) for line in changed), changed
    code, out, _ = run(root, "validate")
    assert code == 0 and "J901" not in out


def _values(record: object) -> list[object]:
    """A record's own values, without the document it was read from."""
    if record is None:
        return []
    return [getattr(record, f.name) for f in dataclasses.fields(record) if f.name not in ("doc", "base")]  # type: ignore[arg-type]


def test_a_removed_recipient_cannot_read_what_is_written_after_a_rotation(tmp_path: Path) -> None:
    root, me = encrypted(tmp_path)
    other = keys_for(tmp_path, root, org="houkatsu", name="other")
    assert run(root, "keys", "rotate", identity=me)[0] == 0
    rel = "cases/C2025-0002/case.yaml"
    data = load(root, findings=False).repository.case("C2025-0002").doc.data  # type: ignore[union-attr]
    assert Opener(root, identities(other)).values("case", data)[1] == OPENED
    code, _, err = run(root, "keys", "remove-recipient", "houkatsu", public(other), identity=me)
    assert code == 0, err
    assert run(root, "keys", "rotate", identity=me)[0] == 0
    text = (root / rel).read_text(encoding="utf-8")
    doc, _ = parse(rel, text)
    assert doc is not None
    assert Opener(root, identities(other)).values("case", doc.data)[1] != OPENED
    assert Opener(root, identities(me)).values("case", doc.data)[1] == OPENED
    handout = ["handout", "M2025-0009", "--reveal", "-f", "html", "-o", str(tmp_path / "h.html")]
    code, _, err = run(root, *handout, identity=other)
    assert code == 2 and "受取人に入っていません" in err
    code, _, _ = run(root, "validate", "--check-keys", identity=other)
    assert code == 1
    assert run(root, "validate", "--check-keys", identity=me)[0] == 0


def test_purge_leaves_the_old_blobs_unreadable_with_every_remaining_key(tmp_path: Path) -> None:
    root, me = encrypted(tmp_path)
    code, out, err = run(root, "retention", "--as-of", "2031-06-01")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:5]] == [
        "R2024-0002（Sさん）",
        "C2024-0001（Aさん）",
        "C2024-0004（Dさん）",
        "R2025-0003（Tさん）",
    ]
    code, _, err = run(root, "retention", "purge", "C2025-0001", "--as-of", "2031-06-01", identity=me)
    assert code == 1 and "保存年限を過ぎていません" in err
    rel = "cases/C2024-0001/case.yaml"
    old = (root / rel).read_text(encoding="utf-8")
    code, out, err = run(root, "retention", "purge", "C2024-0001", "--as-of", "2031-06-01", identity=me)
    assert code == 0, err
    assert not (root / "cases/C2024-0001").exists()
    assert git(root, "status", "--porcelain") == ""
    assert run(root, "validate")[0] == 0
    doc, _ = parse(rel, git(root, "show", f"HEAD~1:{rel}"))
    assert doc is not None and git(root, "show", f"HEAD~1:{rel}") == old
    remaining = identities(me) + [
        k for path in (root / ".jushou/keys").glob("*.age") for k in _data_keys(root, path, me)
    ]
    values, status = Opener(root, remaining).values("case", doc.data)
    assert values is None and status != OPENED
    block = sealed.sealed_block("case", doc.data)
    assert block is not None
    from jushou_cli.store.keys import decrypt

    assert decrypt(block[sealed.ENCRYPTED].encode(), remaining) is None


def _data_keys(root: Path, path: Path, me: Path) -> list[object]:
    from pyrage import x25519

    from jushou_cli.store.keys import decrypt

    plain = decrypt(path.read_bytes(), identities(me))
    return [x25519.Identity.from_str(plain.decode().strip())] if plain else []


def _outputs(root: Path, identity: Path | None) -> dict[str, str]:
    out: dict[str, str] = {}
    commands = [
        ["validate"],
        ["validate", "-f", "json"],
        ["due"],
        ["due", "-f", "json"],
        ["indicators", "-f", "json"],
        ["case", "list"],
        ["retention", "--as-of", "2031-06-01"],
        *(["case", "show", c.name] for c in sorted((root / "cases").iterdir())),
        *(["agenda", m.stem] for m in sorted((root / "meetings").rglob("*.yaml"))),
    ]
    for args in commands:
        code, stdout, stderr = run(root, *args, identity=identity)
        text = stdout + stderr
        if args[0] == "indicators":  # the commit the figures were counted at differs
            data = json.loads(stdout)
            data.pop("commit", None)
            text = json.dumps(data, ensure_ascii=False)
        out[" ".join(args)] = f"{code}\n{text}"
    return out


def test_every_read_only_command_prints_the_same_on_an_encrypted_copy(tmp_path: Path) -> None:
    plain = town(tmp_path, "plain")
    root, identity = encrypted(tmp_path)
    expected = _outputs(plain, None)
    for outputs in (_outputs(root, None), _outputs(root, identity)):
        assert outputs.keys() == expected.keys()
        for label, text in expected.items():
            assert outputs[label] == text, label


def test_reveal_opens_for_a_recipient_and_refuses_anyone_else(tmp_path: Path) -> None:
    plain = town(tmp_path, "plain")
    root, me = encrypted(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    args = ["handout", "M2025-0007", "--reveal", "-f", "html", "--force"]
    assert run(plain, *args, "-o", str(out / "plain.html"))[0] == 0
    code, _, err = run(root, *args, "-o", str(out / "enc.html"), identity=me)
    assert code == 0, err
    assert (out / "plain.html").read_text() == (out / "enc.html").read_text()
    assert "小山 拓真" in (out / "enc.html").read_text()
    code, _, err = run(root, *args, "-o", str(out / "none.html"))
    assert code == 2 and "秘密鍵がない" in err
    stranger = tmp_path / "stranger.txt"
    make_identity(stranger)
    code, _, err = run(root, *args, "-o", str(out / "stranger.html"), identity=stranger)
    assert code == 2 and "C2024-0004 の個人情報を開けません" in err
    assert not (out / "stranger.html").exists()
    code, stdout, _ = run(root, "log", "C2024-0004", "--reveal", identity=me)
    assert code == 0 and "小山 拓真" not in stdout  # opened, the encryption commit changes no value
    code, stdout, stderr = run(root, "log", "C2024-0004", "--reveal", identity=me)
    assert code == 0 and "個人情報の項目も表示しています" in stdout + stderr


def test_the_access_log_records_each_reveal_and_stays_out_of_git(tmp_path: Path) -> None:
    root, me = encrypted(tmp_path)
    code, _, err = run(root, "audit", "--access")
    assert code == 1 and "access_log: true" in err
    with (root / "jushou.yaml").open("a", encoding="utf-8") as config:
        config.write("access_log: true\n")
    git(root, "commit", "-q", "-am", "access log")
    out = tmp_path / "h.html"
    assert run(root, "handout", "M2025-0007", "--reveal", "-f", "html", "-o", str(out), identity=me)[0] == 0
    assert run(root, "log", "C2024-0004", "--reveal", identity=me)[0] == 0
    code, stdout, _ = run(root, "log", "C2024-0004", "--access", "-f", "json")
    lines = json.loads(stdout)
    assert [x["command"] for x in lines] == [
        "jushou handout M2025-0007 --reveal",
        "jushou log C2024-0004 --reveal",
    ]
    assert lines[0]["records"] == ["C2024-0004", "C2025-0004"] and "佐藤" in lines[0]["who"]
    assert git(root, "status", "--porcelain") == ""
    assert stat.S_IMODE((root / ".jushou/access.log").stat().st_mode) == 0o600


PLANTED = (
    "秘匿太郎",
    "ヒトクタロウ",
    "秘匿町1-2-3",
    "090-1234-9876",
    "秘匿花子",
    "秘匿の備考",
    "通報一郎",
    "03-9999-1111",
)


def test_git_history_of_a_repository_encrypted_from_its_start_holds_no_planted_value(tmp_path: Path) -> None:
    root = town(tmp_path, "fresh", commit_first=False)
    case = root / "cases/C2024-0001/case.yaml"
    text = case.read_text(encoding="utf-8")
    for old, new in (
        ("野原 一樹", "秘匿太郎"),
        ("ノハラ カズキ", "ヒトクタロウ"),
        ("ひばり野町東3-4-5", "秘匿町1-2-3"),
    ):
        text = text.replace(old, new)
    text = text.replace("    pseudonym: Aさんの母\n", "    pseudonym: Aさんの母\n    name: 秘匿花子\n")
    case.write_text(text.replace("要介護1、", "秘匿の備考。要介護1、"), encoding="utf-8")
    referral = root / "referrals/2024/R2024-0001.yaml"
    text = referral.read_text(encoding="utf-8")
    assert "  name: 野原 一樹\n  contact: 090-0000-0001\n" in text
    planted = "  name: 通報一郎\n  contact: 03-9999-1111\n"
    referral.write_text(
        text.replace("  name: 野原 一樹\n  contact: 090-0000-0001\n", planted), encoding="utf-8"
    )
    identity = keys_for(tmp_path, root)
    code, _, err = run(root, "encrypt", identity=identity)  # the first commit: sealed already
    assert code == 0, err
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the rest of the town")
    answers = "秘匿次郎\n\nS50.3.2\n\n090-1234-9876\n"
    code, _, err = run(
        root,
        "new",
        "case",
        "--pseudonym",
        "Zさん",
        "--route",
        "self",
        "--person",
        identity=identity,
        stdin=answers,
    )
    assert code == 0, err
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "new case")
    assert run(root, "keys", "rotate", identity=identity)[0] == 0
    history = subprocess.run(
        ["git", "-C", str(root), "log", "-p", "--all"], capture_output=True, text=True, check=True
    ).stdout
    assert "BEGIN AGE ENCRYPTED FILE" in history
    assert [v for v in (*PLANTED, "秘匿次郎", "1975-03-02") if v in history] == []
    # …and the values are there for a recipient who asks.
    repo = load(root, findings=False).repository
    opened, closed = open_repository(repo, root, Opener(root, identities(identity)))
    assert closed == []
    person = opened.case("C2024-0001").person  # type: ignore[union-attr]
    assert person is not None and person.name == "秘匿太郎"
    assert opened.case("C2024-0001").household[0].name == "秘匿花子"  # type: ignore[union-attr]
    assert opened.referral("R2024-0001").person_name == "通報一郎"  # type: ignore[union-attr]
    newest = next(c for c in opened.cases if c.pseudonym == "Zさん")
    assert newest.person is not None and newest.person.birth_date == "1975-03-02"


@pytest.mark.skipif(os.name != "posix", reason="permission bits")
def test_validate_check_keys_without_an_identity_says_so(tmp_path: Path) -> None:
    root, _ = encrypted(tmp_path)
    code, _, err = run(root, "validate", "--check-keys")
    assert code == 2 and "秘密鍵がありません" in err


def test_a_key_written_without_jushou_encrypt_stays_out_of_git(tmp_path: Path) -> None:
    root = town(tmp_path)
    identity = keys_for(tmp_path, root)
    with (root / "jushou.yaml").open("a", encoding="utf-8") as config:
        config.write("encryption: true\n")  # switched on by hand, not by jushou encrypt
    args = ["new", "case", "--pseudonym", "Yさん", "--route", "self", "--person"]
    code, _, err = run(root, *args, identity=identity, stdin="鍵山一郎\n\n\n\n\n")
    assert code == 0, err
    assert list((root / ".jushou/keys").glob("*.age"))
    status = git(root, "status", "--porcelain", "--untracked-files=all")
    assert ".jushou/keys" not in status
    written = [p.read_text(encoding="utf-8") for p in (root / "cases").glob("*/case.yaml")]
    assert any("Yさん" in text and sealed.ARMOR_BEGIN in text for text in written)
    assert not any("鍵山一郎" in text for text in written)
