"""WeasyPrint alone: the floor of `jushou handout`. Turns the HTML a handout emits into a PDF in
this (fresh) process, the way render/weasy.render_pdf does — same base URL, same PDF variant —
and nothing else: no repository, no jushou import.

    jushou handout M2025-0001 --format html -o /tmp/h.html --repo REPO     # the exact HTML
    python benchmarks/weasy_floor.py /tmp/h.html REPO -o /tmp/h.pdf

The HTML carries its stylesheets inline (templates/handout/handout.html.j2 includes the CSS), so
the file is everything WeasyPrint is given. Prints {"import_s", "render_s", "pages", "bytes"} on
stdout; timing the whole process from outside (benchmarks/run) compares it with the whole handout
command, which also starts Python and imports WeasyPrint.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

# Run as a script, this folder comes first on sys.path, and its timeit.py would hide the standard
# library's (which fontTools imports).
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

PDF_VARIANT = "pdf/ua-1"  # as render/weasy.PDF_VARIANT (kept standalone: no jushou import here)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="weasy_floor.py", description=__doc__.split("\n")[0])
    parser.add_argument("html", type=Path, help="the HTML `jushou handout --format html` wrote")
    parser.add_argument("base", type=Path, help="the repository (the base URL jushou gives WeasyPrint)")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    html = args.html.read_text(encoding="utf-8")
    started = time.perf_counter()
    import weasyprint

    imported = time.perf_counter()
    document = weasyprint.HTML(string=html, base_url=str(args.base)).render()
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT) or b""
    rendered = time.perf_counter()
    args.output.write_bytes(pdf)
    figures = {
        "import_s": round(imported - started, 3),
        "render_s": round(rendered - imported, 3),
        "pages": len(document.pages),
        "bytes": len(pdf),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
