"""Rule 1, second half, file by file: a file's path agrees with its kind, id, type, date and
fiscal year (codes J301–J309). Depends only on the file's path and contents (checks/paths.py has
what depends on the whole repository)."""

from __future__ import annotations

import re

from jushou_cli.load.build import SHEET_KINDS
from jushou_cli.load.layout import REGISTRY_FILES
from jushou_cli.model import labels
from jushou_cli.model.catalogue import repository as problems
from jushou_cli.model.dates import fiscal_year, iso_date
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.records import Sourced, SourceDocument

_DATED_NAME = re.compile(r"^(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})-(?P<what>[a-z_]+?)(?:-(?P<n>[0-9]+))?$")
_TRAINING_NAME = re.compile(r"^(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})(?:-(?P<n>[0-9]+))?$")
_TYPE_ENUMS = {"community": "community_type"}  # the codes a file name's type is one of
_BY_FISCAL_YEAR = ("records", "referrals", "meetings", "community", "trainings")  # <top>/<fy>/…
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
    if top == "community" and len(parts) == 3:
        return ("community",)
    if top == "trainings" and len(parts) == 3:
        return ("training",)
    return None


def placement(doc: SourceDocument) -> list[Diagnostic]:
    """What this file's path says against what it holds (J301–J309): the same for the same path
    and bytes, so the query index keeps it with the file's other per-file findings."""
    parts = doc.path.split("/")
    data = doc.data
    kind = doc.kind or ""
    found: list[Diagnostic] = []
    expected = _expected_kinds(parts)
    whole = Sourced(doc)  # what a finding here is about: the file as a whole

    if expected is None:
        return [problems.OUTSIDE_LAYOUT.on(whole)]
    if kind not in expected:
        return [problems.KIND_NOT_LOCATION.at(whole, "kind", expected=" / ".join(expected), kind=kind)]
    stem = parts[-1].removesuffix(".yaml")
    event = iso_date(data["date"]) if isinstance(data.get("date"), str) else None
    if kind == "case":
        event = (
            iso_date(str(data.get("intake", {}).get("date")))
            if isinstance(data.get("intake"), dict)
            else None
        )
        if isinstance(data.get("id"), str) and data["id"] != parts[1]:
            found.append(problems.CASE_ID_NOT_FOLDER.at(whole, "id", id=data["id"], folder=parts[1]))
    if kind in ("referral", "meeting") and isinstance(data.get("id"), str) and data["id"] != stem:
        found.append(problems.ID_NOT_FILE_NAME.at(whole, "id", id=data["id"], stem=stem))
    if (
        kind == "proposal"
        and isinstance(data.get("referral"), str)
        and f"{data['referral']}-proposal" != stem
    ):
        found.append(
            problems.PROPOSAL_NOT_FILE_NAME.at(whole, "referral", referral=data["referral"], stem=stem)
        )
    if kind == "training":
        found += _training_name(whole, stem, parts[-1], data)
    if kind in SHEET_KINDS or kind in ("record", "community"):
        what = data.get("type") if kind in ("record", "community") else kind
        m = _DATED_NAME.match(stem)
        if m is None:
            bad_name = problems.BAD_SHEET_FILE_NAME if kind in SHEET_KINDS else problems.BAD_RECORD_FILE_NAME
            found.append(bad_name.on(whole, name=parts[-1], date=data.get("date", "2024-05-15"), what=what))
        else:
            if isinstance(data.get("date"), str) and m["date"] != data["date"] and event:
                found.append(
                    problems.DATE_NOT_FILE_NAME.at(
                        whole, "date", named=m["date"], date=data["date"], what=m["what"]
                    )
                )
            # A type that is not a code at all is a schema error; renaming the file would not help.
            if (
                isinstance(what, str)
                and m["what"] != what
                and what in (*SHEET_KINDS, *labels.enum(_TYPE_ENUMS.get(kind, "record_type")))
            ):
                if kind in ("record", "community"):
                    found.append(
                        problems.TYPE_NOT_FILE_NAME.at(
                            whole, "type", named=m["what"], type=what, date=m["date"]
                        )
                    )
                else:
                    found.append(
                        problems.KIND_NOT_FILE_NAME.at(
                            whole, "kind", named=m["what"], kind=what, date=m["date"]
                        )
                    )
    if parts[0] in _BY_FISCAL_YEAR and event and kind != "proposal":
        folder = parts[1]
        if folder != str(fiscal_year(event)):
            found.append(
                problems.FISCAL_YEAR_FOLDER.at(
                    whole,
                    "date",
                    date=event.isoformat(),
                    year=fiscal_year(event),
                    folder=folder,
                    top=parts[0],
                )
            )
    if parts[0] == "records" and kind == "record" and data.get("organization") is None:
        found.append(problems.RECORD_WITHOUT_ORGANIZATION.on(whole, 1, 1))
    ident = data.get("id")
    if kind in ("case", "referral", "meeting") and isinstance(ident, str) and event:
        m2 = _ID_FY.match(ident)
        if m2 and int(m2["fy"]) != fiscal_year(event):
            found.append(
                problems.ID_FISCAL_YEAR.at(whole, "id", id=ident, id_year=m2["fy"], year=fiscal_year(event))
            )
    return found


def _training_name(whole: Sourced, stem: str, name: str, data: dict[str, object]) -> list[Diagnostic]:
    """A training's file is named by its date alone (two on a day: `-2`)."""
    m = _TRAINING_NAME.match(stem)
    written = data.get("date")
    if m is None:
        return [problems.BAD_TRAINING_FILE_NAME.on(whole, name=name, date=written or "2024-09-10")]
    if isinstance(written, str) and m["date"] != written and iso_date(written):
        return [problems.DATE_NOT_TRAINING_FILE_NAME.at(whole, "date", named=m["date"], date=written)]
    return []
