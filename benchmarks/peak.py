"""Runs a command and writes what it cost: `peak.py OUT -- COMMAND…` writes
{"rss_kb", "cpu_s", "exit"} to OUT and exits with the command's code.

rss_kb is getrusage(RUSAGE_CHILDREN).ru_maxrss: the largest resident set of the command or of any
process it waited for (a worker pool's biggest worker, not their sum); cpu_s is the user + system
time of all of them.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: peak.py OUT -- COMMAND…", file=sys.stderr)
        return 2
    code = subprocess.run(argv[2:], check=False).returncode
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(argv[0], "w", encoding="utf-8") as f:
        json.dump(
            {"rss_kb": used.ru_maxrss, "cpu_s": round(used.ru_utime + used.ru_stime, 3), "exit": code}, f
        )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
