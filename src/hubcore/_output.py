"""Writing an output file safely: a regular file atomically, a stream as a stream.

* A regular file (or a path with nothing there) is written to a temporary file beside it,
  flushed to disk and renamed over it: a reader, a crash or a full disk never sees half a
  file, and an existing file keeps its permissions. A symbolic link is followed: its
  target is replaced, the link stays.
* A FIFO, a terminal, ``/dev/null`` or ``-`` (standard output) is written as a stream.
* Anything else (a folder, a socket, a device) is refused with :class:`~hubcore.OutputRefused`
  and left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

from hubcore.errors import OutputRefused

__all__ = ["check_replaceable", "write_file_atomically", "write_output"]

STDOUT = "-"
_NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISCHR(mode):
        return "device"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    return "special file"


def _is_stream(path: Path, mode: int) -> bool:
    if stat.S_ISFIFO(mode):
        return True
    if not stat.S_ISCHR(mode):
        return False
    if os.path.realpath(path) == os.path.realpath(os.devnull):
        return True
    try:
        with open(path, "rb", buffering=0) as probe:
            return probe.isatty()
    except OSError:
        return False


def check_replaceable(path: Path) -> os.stat_result | None:
    """The status of the regular file at ``path`` (following links), None if nothing is
    there; :class:`~hubcore.OutputRefused` for anything else."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(found.st_mode):
        raise OutputRefused(
            f"{path}: is a {_kind(found.st_mode)}, not a regular file; nothing was written "
            "(hubcore replaces only regular files, and streams only to a FIFO, a terminal "
            "or '-')"
        )
    return found


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _raise_named(error: OSError, target: Path) -> NoReturn:
    """Raise ``error``, saying which file and that nothing was written when the disk is
    full, the file system read-only or the quota spent."""
    if error.errno not in _NO_ROOM:
        raise error
    raise OSError(
        error.errno,
        f"{target}: cannot write: {error.strerror}; nothing was written "
        "(a file already there is as it was)",
    ) from error


def write_file_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` as the regular file ``path``: temporary file, fsync, rename."""
    target = Path(os.path.realpath(path))
    found = check_replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".partial", dir=target.parent
        )
    except OSError as error:
        _raise_named(error, target)
    try:
        with os.fdopen(handle, "wb") as partial:
            partial.write(data)
            partial.flush()
            os.fsync(partial.fileno())
        mode = stat.S_IMODE(found.st_mode) if found is not None else 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            _raise_named(error, target)
        raise
    with contextlib.suppress(OSError):  # the rename itself survives a crash
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def write_output(target: str | os.PathLike[str], data: bytes) -> bool:
    """Write ``data`` to ``target``: ``-`` is standard output; a FIFO, a terminal or
    ``/dev/null`` is streamed to; a regular file is replaced atomically; anything else is
    refused. Returns True when a file was written (False for a stream)."""
    if os.fspath(target) == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return False
    path = Path(target)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and _is_stream(path, mode):
        with open(path, "wb") as stream:
            stream.write(data)
        return False
    write_file_atomically(path, data)
    return True
