"""Free text as people read it on an agenda or a handout.

A folded YAML scalar (`>-`) joins its lines with a space, which Japanese prose does not have.
As CSS Text 3 does for segment breaks, a space between two East Asian wide characters (kana,
kanji, full-width punctuation and forms) is dropped when the text is shown; so is one after 。
or 、 and one between a wide character and a half-width parenthesis, which the town's records
use inside Japanese sentences. A space next to Latin letters or digits stays (g1 未達成).
"""

from __future__ import annotations

import re

_WIDE = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\uffe0-\uffe6"
_FOLD_SPACE = re.compile(f"(?<=[{_WIDE}]) (?=[{_WIDE}(])|(?<=\\)) (?=[{_WIDE}])|(?<=[、。]) ")


def fold(value: str) -> str:
    return _FOLD_SPACE.sub("", value)


def prose(value: str | None) -> str | None:
    """A free-text value as people read it; None when nothing is written."""
    return fold(value) if value else None
