"""Text → Document: plain data (dict/list/str/int/float/bool/None) and, on demand, the line and
column of every key and value.

Parsing uses libyaml's C parser through PyYAML (`compose` keeps marks on every node) with *no*
implicit resolvers: this module decides what a plain scalar means, by YAML 1.2 core rules, and
reports the YAML 1.1 traps (`no`, `0123`) instead of silently turning them into other values.
Dates stay strings; the schema layer checks them. Positions are computed only when a diagnostic
needs one (a second walk over a fresh parse), so a clean file costs one walk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from jushou_cli.load.source import decode
from jushou_cli.model.catalogue import files as problems
from jushou_cli.model.diagnostics import Diagnostic, Problem
from jushou_cli.model.records import Path, Position

# libyaml's parser, which keeps every node's line and column. It is not in yaml.cyaml's __all__,
# so `yaml.CParser` does not exist: ask the module that defines it.
_Parser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)
if _Parser is None:  # pragma: no cover - a PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PureParser(Reader, Scanner, Parser, Composer):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

    _Parser = _PureParser


class _Verbatim(BaseResolver):
    """No implicit resolvers: every plain scalar arrives as a string tag, decided below.

    With no implicit and no path resolvers, BaseResolver's methods (which libyaml's parser calls
    back for every node) come to these answers; said directly they cost less than looking through
    the empty tables every time."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - class-level table of PyYAML

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        return _DEFAULT_TAG[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


_DEFAULT_TAG = {
    ScalarNode: BaseResolver.DEFAULT_SCALAR_TAG,
    SequenceNode: BaseResolver.DEFAULT_SEQUENCE_TAG,
    MappingNode: BaseResolver.DEFAULT_MAPPING_TAG,
}


class _Loader(_Parser, _Verbatim):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _Verbatim.__init__(self)


_INT_RE = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_LEADING_ZERO_RE = re.compile(r"^[-+]?0[0-9]+$")
_FLOAT_RE = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_YAML11_BOOLS = frozenset(
    w for base in ("yes", "no", "on", "off") for w in (base, base.capitalize(), base.upper())
)
_STR_TAG = "tag:yaml.org,2002:str"
_DEFAULT_TAGS = frozenset(
    {_STR_TAG, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:null"}
)
# No count, year or version in a record has more digits; longer is pasted-in noise or an attack.
_MAX_DIGITS = 30
# Aliases may share nodes; a "billion laughs" document must not expand without bound.
_MAX_NODES = 200_000


class _Unread:
    """The data of a document whose model came from the query index (index.py): parsed from
    its text only if something asks for it."""

    def __repr__(self) -> str:
        return "UNREAD"

    def __reduce__(self) -> str:
        return "UNREAD"  # pickled by name: stays the one sentinel


UNREAD: Any = _Unread()


@dataclass(slots=True)
class Document:
    path: str  # relative to the repository, POSIX separators
    _text: str | None  # None: read from `folder + path` when first asked (a cache hit reads no bytes)
    _data: Any  # UNREAD: parsed from the text when first asked
    kind: str | None = None
    # For a text not yet read: the repository's folder, ending in a separator (the file is
    # `folder + path`). One string shared by every document of a load, not a path per file.
    folder: str | None = field(default=None, repr=False)
    _positions: dict[Path, Position] | None = field(default=None, repr=False)
    _key_positions: dict[Path, Position] | None = field(default=None, repr=False)

    @property
    def data(self) -> Any:
        if self._data is UNREAD:
            parsed, _ = parse(self.path, self.text)
            self._data = parsed.data if parsed is not None else None
        return self._data

    @property
    def text(self) -> str:
        """The decoded text (for positions and excerpts, which only findings need)."""
        if self._text is None:
            try:
                with open(self.folder + self.path if self.folder else "", "rb") as handle:
                    self._text = decode(self.path, handle.read())[0] or ""
            except OSError:  # gone since it was listed: no excerpt, positions fall back
                self._text = ""
        return self._text

    def _build_positions(self) -> None:
        self._positions, self._key_positions = {}, {}
        try:
            node = _compose(self.text)
        except yaml.YAMLError:  # pragma: no cover - the text parsed once already
            return
        if node is not None:
            _Walker(self.path, self._positions, self._key_positions).value(node, ())

    def position(self, path: Path) -> Position:
        """Where the value at `path` starts; the nearest existing ancestor when it is absent."""
        if self._positions is None:
            self._build_positions()
        assert self._positions is not None
        while path:
            if path in self._positions:
                return self._positions[path]
            path = path[:-1]
        return self._positions.get((), (1, 1))

    def key_position(self, path: Path) -> Position:
        """Where the key of the mapping entry at `path` starts (the value's ancestor otherwise)."""
        if self._key_positions is None:
            self._build_positions()
        assert self._key_positions is not None
        return self._key_positions.get(path) or self.position(path[:-1])

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""


def _compose(text: str) -> Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


def _mark(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Walker:
    """Turns a node tree into plain data, collecting diagnostics for what YAML 1.2 would read
    differently from what the writer meant."""

    def __init__(
        self,
        path: str,
        positions: dict[Path, Position] | None = None,
        key_positions: dict[Path, Position] | None = None,
    ) -> None:
        self.file = path
        self.positions = positions
        self.key_positions = key_positions
        # the first walk keeps no positions, and so makes no paths
        self.paths = positions is not None or key_positions is not None
        self.diagnostics: list[Diagnostic] = []
        self.count = 0
        self.active: set[int] = set()

    def _report(self, node: Node, problem: Problem, **values: object) -> None:
        if self.positions is None:  # diagnostics are collected on the first walk only
            self.diagnostics.append(problem.in_file(self.file, *_mark(node), **values))

    def value(self, node: Node, path: Path) -> Any:
        self.count += 1
        if self.count > _MAX_NODES:
            raise _TooLarge
        if self.positions is not None:
            self.positions[path] = _mark(node)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if id(node) in self.active:
            self._report(node, problems.RECURSIVE_ALIAS)
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                if not self.paths:
                    return [self.value(item, path) for item in node.value]
                return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            return self.mapping(node, path)
        finally:
            self.active.discard(id(node))

    def mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._report(key_node, problems.COMPLEX_KEY)
                continue
            key = str(key_node.value)
            if key in first_seen:
                first = _mark(first_seen[key])[0]
                self._report(key_node, problems.DUPLICATE_KEY, key=key, first=first)
                continue
            first_seen[key] = key_node
            if self.key_positions is not None:
                self.key_positions[(*path, key)] = _mark(key_node)
            result[key] = self.value(value_node, (*path, key) if self.paths else path)
        return result

    def scalar(self, node: ScalarNode) -> Any:
        text: str = node.value
        if node.tag not in _DEFAULT_TAGS:
            self._report(node, problems.EXPLICIT_TAG, tag=node.tag)
            return text
        if node.style:  # quoted or block scalar: always text (plain is None in PyYAML, "" in libyaml)
            return text
        if text in _NULLS:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        if text in _YAML11_BOOLS:
            self._report(node, problems.YAML11_BOOLEAN, text=text)
            return text
        if _LEADING_ZERO_RE.match(text):
            self._report(node, problems.LEADING_ZERO, text=text)
            return text
        if _INT_RE.match(text):
            digits = len(text.lstrip("+-"))
            if digits > _MAX_DIGITS:  # Python refuses to convert past its own limit: a crash
                self._report(node, problems.NUMBER_TOO_LONG, digits=digits, head=text[:12])
                return text
            return int(text)
        if _FLOAT_RE.match(text):
            return float(text)
        return text


class _TooLarge(Exception):
    pass


_PROBLEMS_JA = (
    ("flow sequence", "角括弧 [ ] が閉じていないか、区切りのカンマがありません"),
    ("flow node", "括弧 [ ] { } が閉じていないか、値がありません"),
    ("flow mapping", "波括弧 { } が閉じていないか、区切りのカンマがありません"),
    ("mapping values are not allowed", "ここにコロン「: 」は書けません（値に : を含むなら引用符で囲む）"),
    ("could not find expected ':'", "キーの後ろのコロン「: 」が見つかりません"),
    ("did not find expected key", "字下げがずれているか、キーがありません"),
    ("did not find expected '-'", "リストの字下げがずれています"),
    (
        "found character that cannot start any token",
        "値の先頭に使えない文字があります（引用符で囲んでください）",
    ),
    ("found unexpected end of stream", "引用符が閉じていません"),
    ("found undefined alias", "定義されていないエイリアス (*) があります"),
    ("expected a single document", "一つのファイルに文書が二つ以上あります（--- で区切られています）"),
    ("found unknown escape character", "二重引用符の中に使えないエスケープ (\\) があります"),
    ("found duplicate anchor", "同じ名前のアンカー (&) が二つあります"),
)


def _unclosed_bracket(text: str, before_line: int) -> Position | None:
    """The last `[` or `{` (outside quotes and comments) left open up to `before_line`."""
    stack: list[Position] = []
    for number, line in enumerate(text.splitlines()[:before_line], start=1):
        quote = ""
        for col, ch in enumerate(line, start=1):
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "\"'" and (col == 1 or line[col - 2] in " [{,:"):
                quote = ch
            elif ch == "#" and (col == 1 or line[col - 2] == " "):
                break
            elif ch in "[{":
                stack.append((number, col))
            elif ch in "]}" and stack:
                stack.pop()
    return stack[-1] if stack else None


def parse(path: str, text: str) -> tuple[Document | None, list[Diagnostic]]:
    """One YAML document per file; None when it cannot be read (the diagnostics say why)."""
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = f"{exc.context or ''} {exc.problem or ''}".strip()
        if "flow" in problem and line is not None:
            # An unclosed bracket is found far below where it opened; point at the opening.
            line, column = _unclosed_bracket(text, line) or (line, column)
        syntax = (
            problems.SEVERAL_DOCUMENTS if "expected a single document" in problem else problems.SYNTAX_ERROR
        )
        gist = next((ja for en, ja in _PROBLEMS_JA if en in problem), "YAML として読めません")
        return None, [syntax.in_file(path, line, column, gist=gist, problem=exc.problem)]
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark
        return None, [problems.UNREADABLE_YAML.in_file(path, error=exc)]
    if node is None:
        return None, [problems.EMPTY_FILE.in_file(path, 1, 1)]
    walker = _Walker(path)
    try:
        data = walker.value(node, ())
    except (_TooLarge, RecursionError):
        return None, [problems.ALIAS_TOO_LARGE.in_file(path, 1, 1)]
    return Document(path, text, data), walker.diagnostics


def walk_scalars(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every scalar of plain data with its path (used by checks that look at all values)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk_scalars(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from walk_scalars(value, (*path, i))
    else:
        yield path, data
