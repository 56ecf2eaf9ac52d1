"""jushou watch start / stop / status: the watcher of a repository's folders (store/watcher.py),
which lets a remembered answer be given without looking at every file (docs/performance.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, ReportFormat, fail, find_repo
from jushou_cli.cli.output import emit

watch_app = typer.Typer(
    name="watch",
    help="フォルダの変更を見張り、変わっていない間は答えをすぐ返す（Linux・大きなリポジトリ向け）。Watcher.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

FormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="出力の形式: text / json")]


def _supported() -> None:
    from jushou_cli.store import watch
    from jushou_cli.system import inotify

    if not (watch.supported() and inotify.available()):
        fail(
            "jushou watch は Linux でだけ使えます",
            "Windows と macOS では git の fsmonitor を使ってください: git config core.fsmonitor true",
        )


@watch_app.command("start")
def start(repo: RepoOption = None) -> None:
    """リポジトリのフォルダの見張りを始める（この PC の利用者のプロセスとして残る）。

    Starts the watcher; due / case list / indicators / validate then answer without looking
    at every file while nothing changed.
    """
    _supported()
    from jushou_cli.store import watcher

    root = find_repo(repo)
    said, detail = watcher.start(str(root))
    if said == "failed":
        fail(f"見張りを始められません: {detail}", "jushou watch status で状態を確かめてください")
    if said == "running":
        print(f"{root} はすでに見張っています（プロセス {detail}）")
        return
    print(f"{root} の見張りを始めました（プロセス {detail}）。止めるには: jushou watch stop")


@watch_app.command("stop")
def stop(repo: RepoOption = None) -> None:
    """リポジトリのフォルダの見張りを止める。"""
    _supported()
    from jushou_cli.store import watcher
    from jushou_cli.system.gitcall import wants_watch

    root = find_repo(repo)
    if watcher.stop(str(root)):
        print(f"{root} の見張りを止めました")
    else:
        print(f"{root} は見張っていません")
    if wants_watch(root):
        print(
            "  jushou.watch が true なので、次に答えを返すコマンドがまた始めます。"
            "やめるには: git config --unset jushou.watch"
        )


@watch_app.command("status")
def status(fmt: FormatOption = ReportFormat.text, repo: RepoOption = None) -> None:
    """見張りの状態を表示する。見張っていなければ終了コード 1。"""
    _supported()
    from jushou_cli.render.watch import RENDERERS, WatchState
    from jushou_cli.store import watcher
    from jushou_cli.system.gitcall import wants_watch

    root = find_repo(repo)
    running = watcher.status(str(root))
    why = "" if running else watcher.last_words(str(root))
    state = WatchState(str(root), running, why, wants_watch(root))
    emit(RENDERERS[fmt](state))
    raise typer.Exit(0 if state.watching else 1)
