"""Rule 1, second half: a file's path agrees with its kind, id, type, date and fiscal year
(codes J301–J309)."""

from __future__ import annotations

import re
from datetime import date

from jushou_cli.load.build import SHEET_KINDS
from jushou_cli.load.layout import REGISTRY_FILES
from jushou_cli.model import labels
from jushou_cli.model.dates import fiscal_year, iso_date
from jushou_cli.model.diagnostics import Diagnostic, error, warning
from jushou_cli.model.records import Repository, SourceDocument

_DATED_NAME = re.compile(r"^(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})-(?P<what>[a-z_]+?)(?:-(?P<n>[0-9]+))?$")
_ID_FY = re.compile(r"^[CRM](?P<fy>[0-9]{4})-")


def _expected_kinds(parts: list[str]) -> tuple[str, ...] | None:
    """The kinds a file may declare at this location; None for a location outside the layout."""
    if len(parts) == 1:
        kind = REGISTRY_FILES.get(parts[0])
        return (kind,) if kind else None
    top = parts[0]
    if top == "cases" and len(parts) == 3 and parts[2] == "case.yaml":
        return ("case",)
    if top == "cases" and len(parts) == 4 and parts[2] == "sheets":
        return SHEET_KINDS
    if top == "cases" and len(parts) == 4 and parts[2] == "records":
        return ("record",)
    if top == "records" and len(parts) == 3:
        return ("record",)
    if top == "referrals" and len(parts) == 3:
        return ("proposal",) if parts[2].endswith("-proposal.yaml") else ("referral",)
    if top == "meetings" and len(parts) == 3:
        return ("meeting",)
    return None


_LAYOUT_HINT = (
    "置き場所は cases/<ケースID>/case.yaml、cases/<ケースID>/sheets/<日付>-<種類>.yaml、"
    "cases/<ケースID>/records/<日付>-<種別>.yaml、records/<年度>/…、referrals/<年度>/…、"
    "meetings/<年度>/<会議ID>.yaml です"
)


def _check_document(doc: SourceDocument) -> list[Diagnostic]:
    parts = doc.path.split("/")
    data = doc.data
    kind = doc.kind or ""
    found: list[Diagnostic] = []
    expected = _expected_kinds(parts)

    def at(*key: str) -> tuple[int, int]:
        return doc.position(key)

    if expected is None:
        return [
            error(
                "J306",
                doc.path,
                None,
                None,
                "このファイルは決められた場所にありません (file outside the layout)",
                _LAYOUT_HINT,
            )
        ]
    if kind not in expected:
        line, col = at("kind")
        return [
            error(
                "J302",
                doc.path,
                line,
                col,
                f"この場所には kind: {' / '.join(expected)} を置きます（このファイルは {kind}） "
                "(kind does not match location)",
                _LAYOUT_HINT,
            )
        ]
    stem = parts[-1].removesuffix(".yaml")
    event = iso_date(data["date"]) if isinstance(data.get("date"), str) else None
    if kind == "case":
        event = (
            iso_date(str(data.get("intake", {}).get("date")))
            if isinstance(data.get("intake"), dict)
            else None
        )
        if isinstance(data.get("id"), str) and data["id"] != parts[1]:
            line, col = at("id")
            found.append(
                error(
                    "J301",
                    doc.path,
                    line,
                    col,
                    f"id「{data['id']}」がフォルダ名「{parts[1]}」と違います (id/path mismatch)",
                    f"フォルダ名と id を同じにしてください（jushou はフォルダ名 {parts[1]} で探します）",
                )
            )
    if kind in ("referral", "meeting") and isinstance(data.get("id"), str) and data["id"] != stem:
        line, col = at("id")
        found.append(
            error(
                "J301",
                doc.path,
                line,
                col,
                f"id「{data['id']}」がファイル名「{stem}」と違います (id/path mismatch)",
                f"ファイル名を {data['id']}.yaml にするか、id を直してください",
            )
        )
    if (
        kind == "proposal"
        and isinstance(data.get("referral"), str)
        and f"{data['referral']}-proposal" != stem
    ):
        line, col = at("referral")
        found.append(
            error(
                "J301",
                doc.path,
                line,
                col,
                f"referral「{data['referral']}」がファイル名「{stem}」と合いません (path mismatch)",
                f"ファイル名は {data['referral']}-proposal.yaml です",
            )
        )
    if kind in SHEET_KINDS or kind == "record":
        what = data.get("type") if kind == "record" else kind
        m = _DATED_NAME.match(stem)
        if m is None:
            found.append(
                error(
                    "J306",
                    doc.path,
                    None,
                    None,
                    f"ファイル名「{parts[-1]}」が <日付>-<{'種別' if kind == 'record' else '種類'}>"
                    "[-番号].yaml の形ではありません (bad file name)",
                    f"例: {data.get('date', '2024-05-15')}-{what}.yaml",
                )
            )
        else:
            if isinstance(data.get("date"), str) and m["date"] != data["date"] and event:
                line, col = at("date")
                found.append(
                    error(
                        "J303",
                        doc.path,
                        line,
                        col,
                        f"ファイル名の日付 {m['date']} と date: {data['date']} が違います "
                        "(date/path mismatch)",
                        f"ファイル名を {data['date']}-{m['what']}.yaml にするか date を直してください",
                    )
                )
            # A type that is not a code at all is a schema error; renaming the file would not help.
            if (
                isinstance(what, str)
                and m["what"] != what
                and what in (*SHEET_KINDS, *labels.enum("record_type"))
            ):
                code = "J304" if kind == "record" else "J302"
                key = "type" if kind == "record" else "kind"
                line, col = at(key)
                found.append(
                    error(
                        code,
                        doc.path,
                        line,
                        col,
                        f"ファイル名の「{m['what']}」と {key}: {what} が違います ({key}/path mismatch)",
                        f"ファイル名を {m['date']}-{what}.yaml にするか {key} を直してください",
                    )
                )
    if parts[0] in ("records", "referrals", "meetings") and event and kind != "proposal":
        folder = parts[1]
        if folder != str(fiscal_year(event)):
            line, col = at("date")
            found.append(
                error(
                    "J305",
                    doc.path,
                    line,
                    col,
                    f"{event.isoformat()} は {fiscal_year(event)} 年度ですが、フォルダは {folder} です "
                    "(fiscal-year folder mismatch)",
                    f"{parts[0]}/{fiscal_year(event)}/ に移してください（年度は4月1日〜3月31日）",
                )
            )
    if parts[0] == "records" and kind == "record" and data.get("organization") is None:
        # The schema cannot see where a file sits: a stand-alone record must say whose it is.
        found.append(
            error(
                "J101",
                doc.path,
                1,
                1,
                "必須の項目 organization（実施機関）がありません（ケースに属さない記録） "
                "(missing required key)",
                "「organization: …」を書き足してください（organizations.yaml の id）",
            )
        )
    ident = data.get("id")
    if kind in ("case", "referral", "meeting") and isinstance(ident, str) and event:
        m2 = _ID_FY.match(ident)
        if m2 and int(m2["fy"]) != fiscal_year(event):
            line, col = at("id")
            found.append(
                warning(
                    "J308",
                    doc.path,
                    line,
                    col,
                    f"id「{ident}」の年度 {m2['fy']} と日付の年度 {fiscal_year(event)} が違います "
                    "(id fiscal year differs from the date)",
                    "id は出来事の年度で振ります。jushou new で作ると自動で合います",
                )
            )
    return found


def check(repo: Repository, today: date) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for doc in repo.documents:
        found += _check_document(doc)
    # A case.yaml that exists but failed to parse has reported that already.
    case_dirs = {f.split("/")[1] for f in repo.files if f.startswith("cases/") and f.endswith("/case.yaml")}
    reported: set[str] = set()
    for doc in repo.documents:
        parts = doc.path.split("/")
        orphan = parts[0] == "cases" and len(parts) == 4 and parts[1] not in case_dirs
        if orphan and parts[1] not in reported:
            reported.add(parts[1])
            found.append(
                error(
                    "J309",
                    doc.path,
                    None,
                    None,
                    f"cases/{parts[1]}/ に case.yaml がありません (sheet without its case)",
                    f"cases/{parts[1]}/case.yaml を作るか、正しいケースのフォルダに移してください",
                )
            )
    if "jushou.yaml" not in repo.files:
        found.append(
            error(
                "J307",
                "jushou.yaml",
                None,
                None,
                "jushou.yaml が読めません (no config)",
                "jushou.yaml に kind: config と town: を書いてください",
            )
        )
    for name, kind in REGISTRY_FILES.items():
        # A registry that exists but failed to parse has reported that already.
        if kind in ("organizations", "members") and name not in repo.files:
            found.append(
                error(
                    "J307",
                    name,
                    None,
                    None,
                    f"{name} がないか読めません (registry missing)",
                    f"{name} を作ってください（kind: {kind}）。これがないと参照を確かめられません",
                )
            )
    return found
