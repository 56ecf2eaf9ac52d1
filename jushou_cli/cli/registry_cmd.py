"""jushou member add/list/retire, jushou org add/list, jushou resource add/list: the registries
(members.yaml, organizations.yaml, resources.yaml) edited in place, comments kept, under the
repository lock (cli/writing.edited)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, cli_date, find_repo, query_repository, today
from jushou_cli.cli.output import emit
from jushou_cli.cli.writing import edited, guarded, need


class ListFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


FormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="出力の形式: text / json / csv")]
IdArgument = Annotated[
    str | None, typer.Argument(metavar="ID", help="新しい id（英字で始まる英数字）", show_default=False)
]
NameOption = Annotated[str | None, typer.Option("--name", help="名前", show_default=False)]

member_app = typer.Typer(
    name="member",
    help="職員・構成員の名簿（members.yaml）を見る・加える・退任させる。Members registry.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
org_app = typer.Typer(
    name="org",
    help="支援関係機関の一覧（organizations.yaml）を見る・加える。Organizations registry.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
resource_app = typer.Typer(
    name="resource",
    help="社会資源の一覧（resources.yaml）を見る・加える。Resources registry.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _list(repo: Path | None, fmt: ListFormat, which: str, retired: bool = True) -> None:
    from jushou_cli.queries import registries
    from jushou_cli.render.registries import RENDERERS

    root = find_repo(repo)
    repository, _, _ = query_repository(root, None)
    if which == "members":
        result = registries.members(repository, today(), retired)
    elif which == "organizations":
        result = registries.organizations(repository)
    else:
        result = registries.resources(repository)
    emit(RENDERERS[fmt](result))


@member_app.command("list")
def member_list(
    active: Annotated[bool, typer.Option("--active", help="退任した人を除く")] = False,
    repo: RepoOption = None,
    fmt: FormatOption = ListFormat.text,
) -> None:
    """職員・構成員の一覧（所属・役職・誓約日・退任日・担当中のケース数）。

    The members, with their organization and how many open cases each coordinates.
    """
    _list(repo, fmt, "members", retired=not active)


@member_app.command("add")
def member_add(
    member_id: IdArgument = None,
    name: NameOption = None,
    organization: Annotated[
        str | None, typer.Option("--organization", "--org", help="所属機関（organizations.yaml の id）")
    ] = None,
    role: Annotated[str | None, typer.Option("--role", help="役職・職種（例 総合相談支援員）")] = None,
    pledge: Annotated[
        str | None, typer.Option("--pledge-date", help="守秘義務の誓約日（ISO か和暦）")
    ] = None,
    repo: RepoOption = None,
) -> None:
    """members.yaml に職員・構成員を1人加える（同じ id があれば書かない）。

    Appends a member; refuses an id already in use.
    """
    from jushou_cli.write import registry

    new_id = need(member_id, "ID（職員の id）")
    full_name = need(name, "--name（氏名）")
    org = need(organization, "--organization（所属機関の id）")
    pledged = cli_date(pledge, "--pledge-date")
    root = find_repo(repo)
    edited(root, lambda r: registry.add_member(r, new_id, full_name, org, role, pledged))


@member_app.command("retire")
def member_retire(
    member_id: Annotated[
        str | None, typer.Argument(metavar="ID", help="退任する人の id", show_default=False)
    ] = None,
    date_: Annotated[str | None, typer.Option("--date", help="退任日（ISO か和暦）。省略時は今日")] = None,
    repo: RepoOption = None,
) -> None:
    """職員・構成員に退任日 (end_date) を書く。終結・中断していないケースの担当なら書かない。

    Sets the member's end_date; refused while they coordinate an open case (listed).
    The entry stays: older records still name the member.
    """
    from jushou_cli.write import registry

    who = need(member_id, "ID（職員の id）")
    when = cli_date(date_, "--date") or today()
    root = find_repo(repo)
    edited(root, lambda r: registry.retire_member(r, who, when, today()))


@org_app.command("list")
def org_list(repo: RepoOption = None, fmt: FormatOption = ListFormat.text) -> None:
    """支援関係機関の一覧（分野・実施事業・職員・構成員の数）。

    The organizations.
    """
    _list(repo, fmt, "organizations")


@org_app.command("add")
def org_add(
    org_id: IdArgument = None,
    name: NameOption = None,
    field: Annotated[
        str | None,
        typer.Option(
            "--field",
            help="分野のコード: elderly disability child poverty cross health education "
            "employment housing community other",
        ),
    ] = None,
    short_name: Annotated[str | None, typer.Option("--short-name", help="略称（例 包括）")] = None,
    program: Annotated[
        list[str] | None,
        typer.Option("--program", help="実施する事業のコード（くり返し指定する）", show_default=False),
    ] = None,
    repo: RepoOption = None,
) -> None:
    """organizations.yaml に支援関係機関を1件加える（同じ id があれば書かない）。

    Appends an organization; refuses an id already in use.
    """
    from jushou_cli.write import registry

    new_id = need(org_id, "ID（機関の id）")
    full_name = need(name, "--name（機関名）")
    code = need(field, "--field（分野のコード）")
    root = find_repo(repo)
    edited(root, lambda r: registry.add_organization(r, new_id, full_name, code, short_name, program or []))


@resource_app.command("list")
def resource_list(repo: RepoOption = None, fmt: FormatOption = ListFormat.text) -> None:
    """社会資源の一覧（種類・地区・調整する機関・使った記録の数）。

    The resources.
    """
    _list(repo, fmt, "resources")


@resource_app.command("add")
def resource_add(
    resource_id: IdArgument = None,
    name: NameOption = None,
    resource_type: Annotated[
        str | None,
        typer.Option("--type", help="種類: place group service job volunteer host（受け入れ先） other"),
    ] = None,
    area: Annotated[str | None, typer.Option("--area", help="地区・圏域")] = None,
    organization: Annotated[
        str | None, typer.Option("--organization", "--org", help="調整する機関（organizations.yaml の id）")
    ] = None,
    repo: RepoOption = None,
) -> None:
    """resources.yaml に社会資源を1件加える（ファイルがなければ作る。同じ id があれば書かない）。

    Appends a resource; refuses an id already in use.
    """
    from jushou_cli.write import registry

    new_id = need(resource_id, "ID（社会資源の id）")
    full_name = need(name, "--name（名称）")
    code = need(resource_type, "--type（種類のコード）")
    root = find_repo(repo)
    if not (root / registry.FILES["resources"]).exists():
        guarded(lambda: registry.start_resources(root))
    edited(root, lambda r: registry.add_resource(r, new_id, full_name, code, area, organization))
