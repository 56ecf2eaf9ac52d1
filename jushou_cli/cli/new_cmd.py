"""jushou new case / sheet / record / referral / proposal / meeting (writing.py: what they share)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from jushou_cli.cli.common import RepoOption, cli_date, fail, find_repo, today
from jushou_cli.cli.new_programme import register
from jushou_cli.cli.writing import need, office, version_number, when, written

if TYPE_CHECKING:
    from jushou_cli.model.records import Repository
    from jushou_cli.write.newfile import NewFile

new_app = typer.Typer(
    name="new",
    help="記録を新しく作る（次の ID・正しい置き場所・説明付きのひな形）。Creates a record from a template.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="日付（ISO か和暦: 2024-05-15、R6.5.15、令和6年5月15日）。省略時は今日",
        show_default=False,
    ),
]
EditOption = Annotated[
    bool,
    typer.Option(
        "--edit",
        help="作ったあとエディタで開き、閉じたら検査する（環境変数 EDITOR、なければ Windows はメモ帳）",
    ),
]


@new_app.command("case")
def new_case(
    pseudonym: Annotated[
        str | None, typer.Option("--pseudonym", help="仮名（例 Aさん）。つなぐシートから作るときは省略可")
    ] = None,
    route: Annotated[
        str | None,
        typer.Option(
            "--route", help="相談経路: self family agency welfare_commissioner neighbour outreach other"
        ),
    ] = None,
    origin: Annotated[
        str | None,
        typer.Option("--from", help="つなぎ元の機関（organizations.yaml の id）。指定すると route は agency"),
    ] = None,
    referral: Annotated[
        str | None,
        typer.Option(
            "--referral",
            help="このケースが来たつなぐシートの ID（仮名・つなぎ元・主訴を写し、シートに case を書く）",
        ),
    ] = None,
    concern: Annotated[
        str | None,
        typer.Option(
            "--concern",
            metavar="MEETING#ITEM",
            help="このケースを開いた支援会議の気になる事案（例 M2026-0010#1。"
            "仮名・情報提供元を写し、議題に case を書く）",
        ),
    ] = None,
    coordinator: Annotated[
        str | None, typer.Option("--coordinator", help="担当の職員（members.yaml の id）")
    ] = None,
    received_by: Annotated[
        str | None, typer.Option("--received-by", help="受付した職員（省略時は担当）")
    ] = None,
    complaint: Annotated[str | None, typer.Option("--chief-complaint", help="主訴（本人の言葉で）")] = None,
    issue: Annotated[
        list[str] | None, typer.Option("--issue", metavar="CODE", help="課題のタグ（くり返し指定できる）")
    ] = None,
    program: Annotated[
        list[str] | None,
        typer.Option("--program", metavar="CODE", help="関わる事業（省略時は multi_agency）"),
    ] = None,
    date_: DateOption = None,
    person: Annotated[
        bool,
        typer.Option(
            "--person",
            help="本人の氏名・ふりがな・生年月日・住所・電話番号をその場で尋ねて書く"
            "（コマンドの履歴に残さない。暗号化するリポジトリでは暗号化して書く）",
        ),
    ] = False,
    edit: EditOption = False,
    repo: RepoOption = None,
) -> None:
    """ケースを受け付ける（cases/<ケースID>/case.yaml。ID は受付日の年度の次の番号）。

    Opens a case with the next id of the intake's fiscal year and prints the new file's path.
    """
    from jushou_cli.write import create

    root = find_repo(repo)
    day = when(date_)
    code = office(root)
    values = _ask_person() if person else None
    written(
        root,
        lambda repository: create.new_case(
            repository,
            root,
            day,
            pseudonym=pseudonym,
            route=route,
            origin=origin,
            referral=referral,
            concern=concern,
            coordinator=coordinator,
            received_by=received_by,
            chief_complaint=complaint,
            issues=issue or [],
            programs=program or [],
            office=code,
            person=values,
        ),
        edit,
    )


PERSON_QUESTIONS = (
    ("name", "氏名"),
    ("kana", "ふりがな"),
    ("birth_date", "生年月日（例 1975-03-02。分からなければ空欄）"),
    ("address", "住所"),
    ("phone", "電話番号"),
)


def _ask_person() -> dict[str, str]:
    """The person's values, asked on the terminal (an option would leave them in the shell's
    history); an empty answer leaves the key blank."""
    from jushou_cli.model.dates import DateError, parse_date

    values: dict[str, str] = {}
    for key, label in PERSON_QUESTIONS:
        answer = str(typer.prompt(label, default="", show_default=False)).strip()
        if key == "birth_date" and answer:
            try:
                answer = parse_date(answer).isoformat()
            except DateError as exc:
                fail(f"生年月日: {exc}", "例: 1975-03-02 または S50.3.2")
        values[key] = answer
    return values


@new_app.command("sheet")
def new_sheet(
    kind: Annotated[
        str | None,
        typer.Argument(help="intake_assessment plan evaluation strengths_grid", show_default=False),
    ] = None,
    case: Annotated[str | None, typer.Argument(help="ケースID（例 C2024-0001）", show_default=False)] = None,
    author: Annotated[str | None, typer.Option("--author", help="記入者（省略時はケースの担当）")] = None,
    plan_version: Annotated[
        str | None, typer.Option("--plan-version", help="評価するプランの版（評価のみ。省略時は最新）")
    ] = None,
    center: Annotated[
        str | None, typer.Option("--center", help="9マスシートの中央の課題（省略時は主訴）")
    ] = None,
    date_: DateOption = None,
    edit: EditOption = False,
    repo: RepoOption = None,
) -> None:
    """ケースのシートを作る（アセスメント・プラン・評価・9マスシート）。再プランは前の版の目標を写す。

    Creates a sheet of a case: plan version and carried goals, the evaluated plan are filled in.
    """
    from jushou_cli.write import create

    kind_, case_ = need(kind, "KIND（シートの種類）"), need(case, "CASE（ケースID）")
    version = version_number(plan_version)
    root = find_repo(repo)
    day = when(date_)
    written(
        root,
        lambda repository: create.new_sheet(
            repository, root, kind_, case_, day, author=author, plan_version=version, center=center
        ),
        edit,
    )


@new_app.command("record")
def new_record(
    record_type: Annotated[
        str | None,
        typer.Argument(
            metavar="TYPE",
            help="consultation visit accompaniment phone mail letter participation monitoring",
            show_default=False,
        ),
    ] = None,
    case: Annotated[
        str | None, typer.Argument(help="ケースID（省略するとケースに属さない相談記録）", show_default=False)
    ] = None,
    staff: Annotated[
        list[str] | None,
        typer.Option(
            "--staff", metavar="MEMBER", help="対応した職員（くり返し指定できる。省略時はケースの担当）"
        ),
    ] = None,
    organization: Annotated[
        str | None, typer.Option("--organization", help="実施機関（省略時、相談記録では最初の職員の所属）")
    ] = None,
    topic: Annotated[
        str | None, typer.Option("--topic", help="主な相談内容のコード（例 care、finances）")
    ] = None,
    contact: Annotated[
        str | None, typer.Option("--contact", help="本人と連絡がとれたか: made / failed")
    ] = None,
    outreach: Annotated[bool, typer.Option("--outreach", help="アウトリーチとして行った")] = False,
    resource: Annotated[
        str | None, typer.Option("--resource", help="参加支援で使った社会資源（resources.yaml の id）")
    ] = None,
    person: Annotated[
        str | None, typer.Option("--person", help="相談者の仮名（ケースに属さない記録のみ）")
    ] = None,
    summary: Annotated[str | None, typer.Option("--summary", help="内容")] = None,
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage", help="参加支援の段階: matching started retention ended（participation のみ）"
        ),
    ] = None,
    date_: DateOption = None,
    edit: EditOption = False,
    repo: RepoOption = None,
) -> None:
    """支援記録・相談記録を作る（訪問・電話・同行など。連絡不通は --contact failed）。

    Creates an activity record of a case, or a stand-alone consultation record without CASE.
    """
    from jushou_cli.write import create

    type_ = need(record_type, "TYPE（記録の種別）")
    root = find_repo(repo)
    day = when(date_)
    written(
        root,
        lambda repository: create.new_record(
            repository,
            root,
            type_,
            case,
            day,
            staff=staff or [],
            organization=organization,
            topic=topic,
            contact=contact,
            outreach=outreach,
            resource=resource,
            person=person,
            summary=summary,
            stage=stage,
        ),
        edit,
    )


@new_app.command("referral")
def new_referral(
    origin: Annotated[
        str | None, typer.Option("--from", help="相談を受けた機関（organizations.yaml の id）")
    ] = None,
    to: Annotated[
        list[str] | None, typer.Option("--to", metavar="ORG", help="つなぎ先の機関（くり返し指定できる）")
    ] = None,
    staff: Annotated[
        str | None, typer.Option("--staff", help="相談を受けた職員（members.yaml の id）")
    ] = None,
    pseudonym: Annotated[str | None, typer.Option("--pseudonym", help="本人の仮名")] = None,
    consent: Annotated[
        str | None, typer.Option("--consent", help="本人署名欄: signed / verbal / none")
    ] = None,
    topic: Annotated[
        list[str] | None,
        typer.Option("--topic", metavar="CODE", help="相談内容のコード（くり返し指定できる）"),
    ] = None,
    complaint: Annotated[str | None, typer.Option("--chief-complaint", help="主訴")] = None,
    case: Annotated[
        str | None, typer.Option("--case", help="すでにケースになっているならそのケースID")
    ] = None,
    date_: DateOption = None,
    edit: EditOption = False,
    repo: RepoOption = None,
) -> None:
    """つなぐシートを作る（referrals/<年度>/<ID>.yaml。つなぎ先は結果 pending で入る）。

    Creates a referral sheet with the next id of its fiscal year.
    """
    from jushou_cli.write import create

    root = find_repo(repo)
    day = when(date_)
    code = office(root)

    def make(repository: Repository) -> NewFile:
        if not to:
            _no_receiver(repository, topic or [], origin)
        return create.new_referral(
            repository,
            root,
            day,
            origin=origin,
            to=to or [],
            staff=staff,
            pseudonym=pseudonym,
            consent=consent,
            topics=topic or [],
            chief_complaint=complaint,
            case=case,
            office=code,
        )

    written(root, make, edit)


def _no_receiver(repository: Repository, topics: list[str], origin: str | None) -> NoReturn:
    """`new referral` without --to: the organizations that take these topics, as the hint
    (`jushou referral suggest`)."""
    from jushou_cli.model.labels import enum
    from jushou_cli.queries.referrals import suggest
    from jushou_cli.render.referrals import suggestion_hint
    from jushou_cli.write.ids import BadValue

    known = [t for t in topics if t in enum("topic")]
    hint = (
        suggestion_hint(suggest(repository, known, [origin] if origin else []))
        if known
        else "--topic で相談内容を指定すると、つなぎ先の候補を示します（jushou referral suggest）"
    )
    raise BadValue("--to（つなぎ先の機関の id）を1つ以上指定してください", hint)


@new_app.command("proposal")
def new_proposal(
    referral: Annotated[
        str | None, typer.Argument(help="答えるつなぐシートの ID（例 R2024-0003）", show_default=False)
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="提案を返す機関（省略時はつなぎ元）")] = None,
    author: Annotated[str | None, typer.Option("--author", help="記入者（members.yaml の id）")] = None,
    date_: DateOption = None,
    edit: EditOption = False,
    repo: RepoOption = None,
) -> None:
    """提案用シートを作る（ケースとして受けないつなぐシートに、つなぎ元への提案を返す）。

    Creates the proposal sheet answering a referral, beside it.
    """
    from jushou_cli.write import create

    referral_ = need(referral, "REFERRAL（つなぐシートの ID）")
    root = find_repo(repo)
    day = when(date_)
    written(
        root,
        lambda repository: create.new_proposal(repository, root, referral_, day, to=to, author=author),
        edit,
    )


@new_app.command("meeting")
def new_meeting(
    meeting_type: Annotated[
        str | None,
        typer.Argument(
            metavar="TYPE",
            help="support_meeting multilayer_meeting case_conference submanager_meeting "
            "coordination_meeting other",
            show_default=False,
        ),
    ] = None,
    attendee: Annotated[
        list[str] | None, typer.Option("--attendee", metavar="MEMBER", help="出席者（くり返し指定できる）")
    ] = None,
    chair: Annotated[str | None, typer.Option("--chair", help="司会（出席者にも入る）")] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", help="planned / held / cancelled（省略時は日付が先なら planned、それ以外は held）"
        ),
    ] = None,
    start: Annotated[str | None, typer.Option("--start", help="開始時刻（例 14:00）")] = None,
    end: Annotated[str | None, typer.Option("--end", help="終了時刻（例 15:30）")] = None,
    place: Annotated[str | None, typer.Option("--place", help="場所")] = None,
    date_: DateOption = None,
    edit: EditOption = False,
    repo: RepoOption = None,
) -> None:
    """会議の記録を作る（meetings/<年度>/<ID>.yaml）。議題は jushou meeting add-item で加える。

    Creates a meeting with the next id of its fiscal year; items are added with meeting add-item.
    """
    from jushou_cli.write import create

    type_ = need(meeting_type, "TYPE（会議の種類）")
    root = find_repo(repo)
    now = today()
    day = cli_date(date_, "--date") or now
    code = office(root)
    written(
        root,
        lambda repository: create.new_meeting(
            repository,
            root,
            type_,
            day,
            now,
            status=status,
            chair=chair,
            attendees=attendee or [],
            start=start,
            end=end,
            place=place,
            office=code,
        ),
        edit,
    )


register(new_app)  # new community, new training (new_programme.py)
