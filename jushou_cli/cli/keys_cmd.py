"""jushou keys init / show / add-recipient / remove-recipient / rotate, and jushou encrypt: the keys
of a repository whose personal values are encrypted (docs/privacy.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, fail, find_repo
from jushou_cli.cli.writing import guarded

keys_app = typer.Typer(
    name="keys",
    help="個人情報の暗号化の鍵: 作る・見る・受取人を登録する・暗号化し直す。Encryption keys.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _warn_permissions(path: Path) -> None:
    from jushou_cli.store.keys import permission_problem

    problem = permission_problem(path)
    if problem:
        print(f"jushou: 注意: {problem}", file=sys.stderr)


@keys_app.command("init")
def init_key(repo: RepoOption = None) -> None:
    """この利用者の秘密鍵を作り、公開鍵を表示する（秘密鍵はリポジトリの外、設定フォルダに置く）。

    Makes this user's age identity in the platform's config folder (readable by its owner only).
    """
    # The identity belongs to the user, not to a repository: --repo is accepted like on every
    # command (a script passes it everywhere) and names nothing here.
    del repo
    from jushou_cli.store.keys import KeysProblem, identity_path, make_identity

    path = identity_path()
    try:
        public = make_identity(path)
    except KeysProblem as exc:
        fail(exc.message, exc.hint)
    except OSError as exc:
        fail(f"秘密鍵を書けません: {exc.strerror}（{path}）", "フォルダの権限を確かめてください")
    _warn_permissions(path)
    print(f"秘密鍵を作りました: {path}（本人だけが読めます。人に渡さず、バックアップは安全な場所に）")
    print(f"公開鍵: {public}")
    print(f"  次に: jushou keys add-recipient 機関ID {public}")


@keys_app.command("show")
def show(repo: RepoOption = None) -> None:
    """秘密鍵の場所と公開鍵、リポジトリの受取人（機関ごとの公開鍵）を表示する。

    Shows this user's identity and the repository's recipients.
    """
    from jushou_cli.store.keys import identities, identity_path, public_keys, recipients

    path = identity_path()
    mine = public_keys(identities(path))
    if mine:
        print(f"秘密鍵: {path}")
        for key in mine:
            print(f"公開鍵: {key}")
        _warn_permissions(path)
    else:
        print(f"秘密鍵: なし（{path}）。jushou keys init で作ります")
    root = find_repo(repo)
    listed = recipients(root)
    if not listed:
        print("受取人: まだ登録されていません（jushou keys add-recipient）")
    for org in sorted(listed):
        for key in listed[org]:
            print(f"受取人: {org} {key}{'（あなた）' if key in mine else ''}")


def _change_recipients(root: Path, org: str, key: str, add: bool) -> None:
    from jushou_cli.store.keys import RECIPIENTS, recipients, recipients_text, valid_recipient
    from jushou_cli.store.seam import load
    from jushou_cli.system.files import write_atomic
    from jushou_cli.write.lock import RepositoryLock

    if add and not valid_recipient(key):
        fail(f"「{key}」は age の公開鍵（age1…）ではありません", "公開鍵は jushou keys show で確かめられます")
    with guarded(RepositoryLock(root).acquire):
        repository = load(root, findings=False).repository
        if add and repository.organization(org) is None:
            known = "、".join(o.id for o in repository.organizations)
            fail(f"機関「{org}」は organizations.yaml にありません", f"使える機関: {known}")
        listed = recipients(root)
        keys = listed.get(org, [])
        if add:
            if key in keys:
                fail(f"{org} の受取人に {key} はもう登録されています", code=1)
            listed[org] = [*keys, key]
        else:
            if key not in keys:
                fail(f"{org} の受取人に {key} はありません", "jushou keys show で確かめてください", code=1)
            listed[org] = [k for k in keys if k != key]
            if not listed[org]:
                del listed[org]
        target = root / RECIPIENTS
        target.parent.mkdir(exist_ok=True)
        guarded(lambda: write_atomic(target, recipients_text(listed).encode("utf-8"), overwrite=True))
    print(f"{'登録' if add else '削除'}しました: {org} {key}（{RECIPIENTS}）")
    print(
        "  次に: jushou keys rotate で今の受取人に暗号化し直し、コミットしてください"
        + ("（外した鍵で、これからの記録は読めなくなります）" if not add else "")
    )


OrgArgument = Annotated[str, typer.Argument(metavar="ORG", help="機関の id（organizations.yaml）")]
KeyArgument = Annotated[str, typer.Argument(metavar="KEY", help="公開鍵（age1…）")]


@keys_app.command("add-recipient")
def add_recipient(org: OrgArgument, key: KeyArgument, repo: RepoOption = None) -> None:
    """機関の受取人（公開鍵）を .jushou/recipients.yaml に登録する。

    Adds an organization's public key to the repository's recipients.
    """
    _change_recipients(find_repo(repo), org, key, add=True)


@keys_app.command("remove-recipient")
def remove_recipient(org: OrgArgument, key: KeyArgument, repo: RepoOption = None) -> None:
    """機関の受取人（公開鍵）を外す。外したあと jushou keys rotate で暗号化し直す。

    Removes a public key from the recipients (then run keys rotate).
    """
    _change_recipients(find_repo(repo), org, key, add=False)


def _commit(root: Path, paths: list[str], message: str) -> None:
    from jushou_cli.write.sealing import git_commit

    sha = git_commit(root, paths, message)
    if sha:
        print(f"コミットしました: {sha} {message}")
    else:
        print(
            "jushou: 注意: git でコミットできませんでした（ファイルは書いてあります）。"
            "git status で確かめて、手でコミットしてください",
            file=sys.stderr,
        )


@keys_app.command("rotate")
def rotate(repo: RepoOption = None) -> None:
    """暗号化した個人情報を、新しいデータ鍵で今の受取人に暗号化し直し、一つのコミットにする。

    Re-encrypts every sealed record to a new data key for the current recipients, in one commit.
    """
    from jushou_cli.store.keys import RECIPIENTS, Opener, all_recipients
    from jushou_cli.store.seam import load
    from jushou_cli.write.lock import RepositoryLock
    from jushou_cli.write.sealing import apply, destroy_keys, rotate_all

    root = find_repo(repo)
    if not all_recipients(root):
        fail("受取人（公開鍵）が登録されていません", "jushou keys add-recipient 機関ID 公開鍵")
    with guarded(RepositoryLock(root).acquire):
        repository = load(root, findings=False).repository
        sealing = guarded(lambda: rotate_all(root, repository, Opener.for_user(root)))
        paths = guarded(lambda: apply(root, "jushou keys rotate", sealing))
        destroy_keys(root, sealing.retired)
    print(f"暗号化し直しました: {len(sealing.edits)} 件（受取人 {len(all_recipients(root))} 人）")
    _commit(root, [*paths, RECIPIENTS], "jushou keys rotate: 個人情報を今の受取人に暗号化し直す")


def encrypt(repo: RepoOption = None) -> None:
    """リポジトリの個人情報（本人・世帯員・つなぎの氏名など）を暗号化し、一つのコミットにする。

    Encrypts every personal field of the repository (opt-in, one commit); see docs/privacy.md.
    """
    from jushou_cli.store.keys import RECIPIENTS, all_recipients, identities, public_keys
    from jushou_cli.store.seam import load
    from jushou_cli.write.lock import RepositoryLock
    from jushou_cli.write.sealing import apply, encrypt_all, ignore_file

    root = find_repo(repo)
    to = all_recipients(root)
    if not to:
        fail(
            "受取人（公開鍵）が登録されていません",
            "jushou keys init で鍵を作り、jushou keys add-recipient 機関ID 公開鍵 で登録してください",
        )
    if not set(public_keys(identities())) & set(to):
        fail(
            "あなたの秘密鍵が受取人に入っていないため、暗号化すると自分でも開けなくなります",
            "jushou keys show で公開鍵を確かめ、jushou keys add-recipient で登録してください",
        )
    with guarded(RepositoryLock(root).acquire):
        repository = load(root, findings=False).repository
        sealing = guarded(lambda: encrypt_all(root, repository))
        also = [c for c in [ignore_file(root)] if c is not None]
        if not sealing.edits and not also:
            print("暗号化するもの（平文の個人情報）はありません")
            return
        paths = guarded(lambda: apply(root, "jushou encrypt", sealing, also))
    print(f"暗号化しました: {len(sealing.keys)} 件（受取人 {len(to)} 人。データ鍵は .jushou/keys/ に）")
    _commit(root, [*paths, RECIPIENTS, ".jushou/.gitignore"], "jushou encrypt: 個人情報を暗号化する")
    print(
        "jushou: 注意: これより前のコミットには平文の個人情報が残っています。"
        "履歴からも消すには docs/privacy.md の「履歴を書き換える」を読んでください",
        file=sys.stderr,
    )
