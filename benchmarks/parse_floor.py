"""The parse floor: libyaml (CSafeLoader) reading and parsing every YAML file of a repository in
one process, nothing else — what no validator of these files can go below on one core.

    python -m benchmarks.parse_floor REPO     # prints {"files": N, "wall_s": …, "cpu_s": …}
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import yaml


def yaml_files(root: Path) -> list[str]:
    """Every *.yaml under root, hidden folders (.git) and out/ left out, in a stable order."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not (folder == str(root) and d == "out")
        )
        found += [os.path.join(folder, f) for f in sorted(files) if f.endswith(".yaml")]
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python -m benchmarks.parse_floor REPO", file=sys.stderr)
        return 2
    wall, cpu = time.perf_counter(), time.process_time()
    paths = yaml_files(Path(args[0]))
    for path in paths:
        with open(path, "rb") as f:
            yaml.load(f.read(), Loader=yaml.CSafeLoader)
    result = {
        "files": len(paths),
        "wall_s": round(time.perf_counter() - wall, 3),
        "cpu_s": round(time.process_time() - cpu, 3),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
