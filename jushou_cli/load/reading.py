"""One file's bytes → a document: encoding, line traps, YAML, kind, schema — every per-file
layer, each reporting what it finds as diagnostics."""

from __future__ import annotations

import difflib
import sys

from jushou_cli.load import schema, source, yamldoc
from jushou_cli.load.yamldoc import Document
from jushou_cli.model.catalogue import files as problems
from jushou_cli.model.contract import KINDS
from jushou_cli.model.diagnostics import Diagnostic


def read_document(
    path: str, data: bytes, check_schema: bool = True
) -> tuple[Document | None, list[Diagnostic]]:
    """Every per-file layer: encoding, line traps, YAML, kind, schema. Whether a file makes a
    document does not depend on the schema layer (it only reports), so the query index, which
    wants the document and not the findings, skips it (`check_schema`)."""
    text, found = source.decode(path, data)
    if text is None:
        return None, found
    line_problems, fatal = source.scan_lines(path, text)
    found += line_problems
    if fatal:
        return None, found
    doc, parse_problems = yamldoc.parse(path, text)
    found += parse_problems
    if doc is None:
        return None, found
    if not isinstance(doc.data, dict):
        found.append(problems.NOT_A_MAPPING.in_file(path, 1, 1))
        return None, found
    kind = doc.data.get("kind")
    if kind is None:
        found.append(problems.MISSING_KIND.in_file(path, 1, 1, kinds=", ".join(KINDS)))
        return None, found
    if kind not in KINDS:
        line, column = doc.position(("kind",))
        near = difflib.get_close_matches(str(kind), KINDS, n=1, cutoff=0.5)
        found.append(
            problems.UNKNOWN_KIND_NEAR.in_file(path, line, column, kind=kind, near=near[0])
            if near
            else problems.UNKNOWN_KIND.in_file(path, line, column, kind=kind, kinds=", ".join(KINDS))
        )
        return None, found
    doc.kind = sys.intern(kind)  # one string per kind for a repository's 100,000 documents
    if not check_schema:
        return doc, found
    # A value the YAML layer already reported (`yes`, `0123`, an alias) would only be reported
    # again by the schema as a wrong type.
    spots = {(d.line, d.column) for d in found}
    found += [d for d in schema.check(doc, kind) if (d.line, d.column) not in spots]
    return doc, found
