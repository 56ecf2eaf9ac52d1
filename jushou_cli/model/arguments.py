"""The domain's words as people type them on the command line: a code or its Japanese label, a
plan version written `2`, `v2` or `２`, a fiscal year. Each reader returns None for what it cannot
read; the CLI says so in its own words (which option, what to type instead)."""

from __future__ import annotations

from jushou_cli.model.labels import STATUS_LABELS, enum

# The 和暦 this tool writes starts with 平成 (1989); a year past 2200 is a typo, not a plan.
FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 1989, 2200


def code_or_label(codes: dict[str, str], given: str) -> str | None:
    """The code itself (active), or the code whose Japanese label was typed (支援中)."""
    if given in codes:
        return given
    return next((code for code, label in codes.items() if label == given), None)


def timing_code(given: str) -> str | None:
    """A meeting's timing: plan_creation … or its label (プラン策定時 …)."""
    return code_or_label(enum("timing"), given)


def status_code(given: str) -> str | None:
    """A case's derived status: intake … suspended, or 受付 … 中断."""
    return code_or_label(STATUS_LABELS, given)


def status_hint() -> str:
    return " ".join(f"{code}({label})" for code, label in STATUS_LABELS.items())


def plan_version(given: str) -> int | None:
    """A plan version: 1 or more, full-width digits and a leading `v` allowed (v2, ２)."""
    digits = given.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789")).removeprefix("v")
    if not digits.isdigit() or int(digits) < 1:
        return None
    return int(digits)


def readable_fiscal_year(year: int) -> bool:
    return FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR
