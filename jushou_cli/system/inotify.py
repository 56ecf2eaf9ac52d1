"""Linux's inotify, through the C library (the standard library has no binding): what the
watcher of a repository's folders (store/watcher.py) is told by the kernel. Linux only:
`available()` says whether this system has it.

A change made by any process is queued to every watch of its folder before the call that made
it returns (the kernel's fsnotify runs in that call), so a watcher that reads the queue until it
is empty, after being asked, has seen every change made before it was asked."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import os
import struct
import sys

# <sys/inotify.h>
IN_MODIFY = 0x00000002
IN_ATTRIB = 0x00000004
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_UNMOUNT = 0x00002000
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000
IN_DONT_FOLLOW = 0x02000000
IN_ISDIR = 0x40000000
_IN_NONBLOCK = 0o4000
_IN_CLOEXEC = 0o2000000

# Every change to what a folder holds or to a file in it: its contents, its times and mode, its
# names. (Opening or reading a file is not a change.)
CHANGES = (
    IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
    | IN_DELETE_SELF | IN_MOVE_SELF
)
_HEADER = struct.Struct("iIII")  # struct inotify_event: wd, mask, cookie, len (then the name)


def available() -> bool:
    return sys.platform.startswith("linux") and _libc() is not None


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.inotify_init1.argtypes = [ctypes.c_int]
        libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
    except (OSError, AttributeError):
        return None
    return libc


class Inotify:
    """One inotify instance: folders watched (never following a link), events read without
    waiting."""

    def __init__(self) -> None:
        libc = _libc()
        if libc is None:
            raise OSError(errno.ENOSYS, "inotify is not available")
        self._libc = libc
        fd = libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if fd < 0:
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number))
        self.fd: int = fd

    def fileno(self) -> int:
        return self.fd

    def watch(self, folder: str) -> int:
        """The watch descriptor of `folder` (the same one again for a folder already watched).
        OSError: ENOSPC when the user's limit of watches is reached, ENOTDIR for anything but a
        folder (a link to one included), ENOENT when it is gone."""
        wd: int = self._libc.inotify_add_watch(
            self.fd, os.fsencode(folder), CHANGES | IN_ONLYDIR | IN_DONT_FOLLOW
        )
        if wd < 0:
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number), folder)
        return wd

    def read(self) -> list[tuple[int, int, str]]:
        """The events queued now, each (watch descriptor, mask, name within the folder); [] when
        none is."""
        events: list[tuple[int, int, str]] = []
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return events
            at = 0
            while at + _HEADER.size <= len(data):
                wd, mask, _cookie, length = _HEADER.unpack_from(data, at)
                at += _HEADER.size
                name = os.fsdecode(data[at : at + length].rstrip(b"\0"))
                at += length
                events.append((wd, mask, name))

    def close(self) -> None:
        os.close(self.fd)
