"""Stat signatures: how jushou knows a file or folder is unchanged without reading it, as git's
index does — (size, modification and change time, inode, device). A signature younger than
RACY_NS is not trusted (git's "racily clean" case: a second change in the same clock tick would
keep it). Standard library only: the command's first step (cli/start.py) uses it before the
toolkit loads."""

from __future__ import annotations

import os

Signature = tuple[int, int, int, int, int]
RACY_NS = 3_000_000_000  # files younger than this are not trusted by signature


def settled(sig: tuple[int, ...], now_ns: int) -> bool:
    """Whether a file or folder with this signature, seen at `now_ns`, can be trusted by its
    signature later: not modified within RACY_NS before (a second change in the same clock tick
    would keep the signature: git's "racily clean" case)."""
    return now_ns - sig[1] > RACY_NS


def signature(result: os.stat_result) -> Signature:
    return (result.st_size, result.st_mtime_ns, result.st_ctime_ns, result.st_ino, result.st_dev)


def unchanged(base: str, stamps: dict[str, tuple[int, ...]], seen_ns: int) -> bool:
    """Whether every path (relative to `base`, which ends in a separator; "." is `base` itself)
    still has the signature it had, settled when it was seen at `seen_ns`."""
    for rel, known in stamps.items():
        try:
            now = signature(os.stat(base + rel))
        except OSError:
            return False
        if now != known or not settled(now, seen_ns):
            return False
    return True
