"""Atomic file writes: the previous file stays whole until the new one is complete.

A crash, a full disk or an exception half-way through a save must not destroy the model that
was already on disk. So ``atomic_write`` never writes into the target itself:

1. it writes into a new temporary file in the target's directory (same directory, hence the
   same file system, which is what makes step 3 atomic),
2. forces the bytes to the disk (``flush`` then ``os.fsync``),
3. and only then renames the temporary file onto the target with ``os.replace``. A rename
   within one file system is atomic on POSIX and on Windows: anyone opening the target sees
   either the complete old file or the complete new one, never a mix.

If anything fails before step 3, the temporary file is deleted and the target is untouched.
If the process is killed outright (SIGKILL, power cut) a hidden ``.<name>.<random>.tmp`` file
may be left behind in the directory, but the target is still the complete old file.

Example:
    >>> import os, tempfile
    >>> from glassnet.io.atomic import atomic_write
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "notes.txt")
    ...     with atomic_write(path, "w") as file:
    ...         _ = file.write("version 1")
    ...     try:
    ...         with atomic_write(path, "w") as file:
    ...             _ = file.write("version 2, half writ")
    ...             raise RuntimeError("crash in the middle of the save")
    ...     except RuntimeError:
    ...         pass
    ...     print(open(path).read(), os.listdir(tmp))
    version 1 ['notes.txt']
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from typing import IO

__all__ = ["atomic_write"]

_MODES = ("wb", "w")


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike, mode: str = "wb", *, encoding: str = "utf-8"
) -> Iterator[IO]:
    """Open ``path`` for writing so that it is replaced all at once, or not at all.

    Use it like ``open(path, mode)`` in a ``with`` block. The data goes into a temporary file
    next to ``path``; when the block ends without an exception the temporary file is flushed,
    fsynced and renamed onto ``path`` (``os.replace``). When the block raises (or the flush,
    the fsync or the rename fail, e.g. because the disk is full) the temporary file is removed,
    ``path`` keeps its previous content byte for byte, and the exception propagates.

    A new file gets the usual permissions (``0o666`` minus the umask, as with ``open``); a
    replaced file keeps its permission bits. If ``path`` is a symbolic link, the file it points
    to is replaced and the link is kept.

    Args:
        path: the file to create or replace (``str`` or ``os.PathLike``).
        mode: ``"wb"`` for bytes (the default) or ``"w"`` for text.
        encoding: text encoding when ``mode="w"``. Defaults to ``"utf-8"`` whatever the locale.

    Yields:
        The open temporary file. Do not close it yourself.

    Raises:
        FileNotFoundError: the directory of ``path`` does not exist. Raised before anything
            is written, with the directory in the message.
        IsADirectoryError: ``path`` is a directory.
        ValueError: ``mode`` is neither ``"wb"`` nor ``"w"``.
        OSError: from the writes, the fsync or the rename (``path`` is then left untouched).

    Example:
        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = os.path.join(tmp, "weights.bin")
        ...     with atomic_write(path) as file:
        ...         _ = file.write(b"\\x00\\x01\\x02")
        ...     print(open(path, "rb").read())
        b'\\x00\\x01\\x02'
    """
    if mode not in _MODES:
        raise ValueError(f"atomic_write: mode must be 'wb' or 'w', received {mode!r}")
    target = _resolve_target(path)
    temp_path, file = _open_temporary(target, mode, encoding)
    try:
        yield file
        file.flush()
        os.fsync(file.fileno())
        file.close()
        _keep_permissions(target, temp_path)
        os.replace(temp_path, target)
    except BaseException:
        _discard(file, temp_path)
        raise
    _sync_directory(os.path.dirname(target))


def _resolve_target(path: str | os.PathLike) -> str:
    """Check that ``path`` can be written (before writing anything) and follow a symlink."""
    target = os.fspath(path)
    if not isinstance(target, str):
        raise TypeError(f"atomic_write: path must be a str or os.PathLike, received {path!r}")
    if os.path.islink(target):
        target = os.path.realpath(target)
    directory = os.path.dirname(target) or os.curdir
    if not os.path.exists(directory):
        raise FileNotFoundError(
            errno.ENOENT,
            f"cannot write {target!r}: its directory does not exist "
            "(create it first, e.g. with os.makedirs)",
            directory,
        )
    if os.path.isdir(target):
        raise IsADirectoryError(
            errno.EISDIR, f"cannot write {target!r}: it is a directory, not a file", target
        )
    return target


def _open_temporary(target: str, mode: str, encoding: str) -> tuple[str, IO]:
    """Create ``.<name>.<random>.tmp`` next to ``target`` (never an existing file) and open it."""
    directory, name = os.path.split(os.path.abspath(target))
    # O_EXCL: fail rather than reuse a file that exists. O_BINARY: no newline translation on
    # Windows (0 elsewhere). Mode 0o666 lets the umask decide the permissions, as open() does.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp_path = os.path.join(directory, f".{name[:200]}.{secrets.token_hex(4)}.tmp")
        try:
            descriptor = os.open(temp_path, flags, 0o666)
        except FileExistsError:
            continue
        text_encoding = encoding if mode == "w" else None
        return temp_path, os.fdopen(descriptor, mode, encoding=text_encoding)
    raise FileExistsError(f"atomic_write: could not create a temporary file in {directory!r}")


def _keep_permissions(target: str, temp_path: str) -> None:
    """Give the new file the permission bits of the file it replaces, if there is one."""
    try:
        permissions = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return
    os.chmod(temp_path, permissions)


def _discard(file: IO, temp_path: str) -> None:
    """Close and delete the temporary file after a failure, without masking the failure."""
    # Closing flushes what is still buffered, which fails again when the disk is full.
    with contextlib.suppress(OSError):
        file.close()
    with contextlib.suppress(FileNotFoundError):
        os.remove(temp_path)


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable: fsync the directory entry (POSIX only).

    The new file is already in place; a file system that cannot fsync a directory is not an
    error worth failing the save for, so errors are ignored.
    """
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(directory or os.curdir, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
