"""Writing YAML by hand, in the shape of RECORDS.md and sample_repo/: block mappings, flow lists of
codes, folded `>-` for prose. No YAML library: the generator writes ~100,000 files and a string
join is all it needs. Anything that a YAML 1.2 or 1.1 reader could take for something other than
text is double-quoted (a JSON string is a valid YAML double-quoted scalar)."""

from __future__ import annotations

import json
import re
from datetime import date

_BAD_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_FLOW_BAD = frozenset(",[]{}")
# What a resolver might turn into a number, a boolean, null, a date or a sexagesimal (14:00).
_NOT_TEXT = re.compile(
    r"^(?:[-+]?[0-9][0-9_]*(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+|[0-9]+(?::[0-9]+)+"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*|~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
    r"|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|\.inf|\.nan)$"
)


def _plain(text: str, flow: bool) -> bool:
    return not (
        not text
        or text[0] in _BAD_START
        or text != text.strip()
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or "\n" in text
        or "\t" in text
        or (flow and any(c in _FLOW_BAD for c in text))
        or _NOT_TEXT.match(text)
    )


def scalar(value: object, flow: bool = False) -> str:
    """One value as YAML text (dates as ISO, None as empty, text plain when it is safe)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return str(value) if isinstance(value, int) else value.isoformat()
    text = str(value)
    return text if _plain(text, flow) else json.dumps(text, ensure_ascii=False)


def flow(values: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


def wrap(text: str, width: int = 46) -> list[str]:
    """Sentences packed into lines of about `width` characters (a folded scalar joins them)."""
    sentences = [s + "。" for s in text.split("。") if s]
    if not text.endswith("。") and sentences:
        sentences[-1] = sentences[-1][:-1]
    lines: list[str] = []
    for sentence in sentences:
        if lines and len(lines[-1]) + len(sentence) <= width:
            lines[-1] += sentence
        else:
            lines.append(sentence)
    return lines or [text]


def prose(out: list[str], key: str, text: str, indent: str = "") -> None:
    """`key: text` on one line when short, else a folded block (`>-`) as sample_repo writes it."""
    if len(text) <= 40 and _plain(text, False):
        out.append(f"{indent}{key}: {text}")
        return
    out.append(f"{indent}{key}: >-")
    out += [f"{indent}  {line}" for line in wrap(text)]


def literal(out: list[str], key: str, lines: list[str], indent: str = "") -> None:
    out.append(f"{indent}{key}: |")
    out += [f"{indent}  {line}" for line in lines]


def seq(out: list[str], key: str, values: list[str], indent: str = "") -> None:
    out.append(f"{indent}{key}:")
    out += [f"{indent}  - {scalar(v)}" for v in values]
