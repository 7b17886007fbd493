"""Writing files so that a reader never sees half of one: write aside, then rename.

Outputs only ever replace regular files: a directory, a FIFO, a device, a socket or a
symbolic link where a file is to be written is refused with one line before anything is
written, and a write that fails (no permission, a read-only or full disk) is one line
naming the file, with no temporary file left behind.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import IO, Any

from sim.errors import UserError


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


class OutputError(UserError):
    """An output that cannot or must not be written; one line naming it."""


def _reason(err: OSError) -> str:
    return (err.strerror or type(err).__name__).lower()


def ensure_folder(path: Path) -> None:
    """Create `path` as a folder (and its parents), or refuse with one line."""
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: exists and is not a folder (expected a folder to write in)")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{path}: cannot create the folder ({_reason(err)})") from None


def check_target(path: Path) -> None:
    """Refuse to write `path` unless it is absent or a regular file, in a usable folder."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise OutputError(f"{path}: cannot write ({_reason(err)})") from None
    if mode is not None and not stat.S_ISREG(mode):
        kind = (
            "a folder"
            if stat.S_ISDIR(mode)
            else "a symbolic link"
            if stat.S_ISLNK(mode)
            else "a FIFO"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "not a regular file"
        )
        raise OutputError(
            f"{path}: is {kind}; outputs only replace regular files (expected a file path)"
        )
    ensure_folder(path.parent)


def check_writable(path: Path) -> None:
    """`check_target`, and proof that its folder takes a new file (a temporary one, made
    and removed): for saying what will be written only once it can be."""
    handle, temporary = _temporary(path)
    os.close(handle)
    Path(temporary).unlink(missing_ok=True)


def _temporary(path: Path) -> tuple[int, str]:
    check_target(path)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
    except OSError as err:
        raise OutputError(f"{path}: cannot write ({_reason(err)})") from None
    os.fchmod(handle, 0o666 & ~_UMASK)  # mkstemp makes 0600; results are for sharing
    return handle, temporary


def _replace(temporary: str, path: Path) -> None:
    check_target(path)  # nothing turned into a FIFO or a folder while we wrote
    os.replace(temporary, path)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename;
    a file that already holds exactly `data` is left as it is (nothing to write, so a
    finished folder on a read-only disk still serves a command that would rewrite it)."""
    if _holds(path, data):
        return
    handle, temporary = _temporary(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _replace(temporary, path)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({_reason(err)})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _holds(path: Path, data: bytes) -> bool:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode) or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def write_parquet_atomic(table: object, path: Path) -> None:
    """Write an Arrow table as Parquet, atomically (a reader sees all of it or nothing).

    Only the columns of few values (categories, names, flags, small integers) are
    dictionary encoded: tried on every column, as pyarrow does by default, a dictionary of times,
    amounts or ids fills and falls back to plain pages, which costs a third of the
    writing time and makes the file larger. zstd at level 1 compresses a run's tables
    within a few percent of its default level in three quarters of the time.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    assert isinstance(table, pa.Table)
    few = [field.name for field in table.schema if _few_values(field.type)]
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", compression_level=1, use_dictionary=few)
    write_atomic(path, sink.getvalue().to_pybytes())


def _few_values(kind: object) -> bool:
    """Whether a column of Arrow type `kind` holds few distinct values (names, as of
    scenarios and arms, count as few)."""
    import pyarrow as pa

    assert isinstance(kind, pa.DataType)
    if pa.types.is_dictionary(kind) or pa.types.is_boolean(kind):
        return True
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return True
    return pa.types.is_integer(kind) and kind.bit_width <= 16


class atomic_stream:  # noqa: N801 - used like open()
    """Write a large file through a temporary file, renamed into place only on success.

    with atomic_stream(path) as stream:
        stream.write(...)
    """

    def __init__(self, path: Path, mode: str = "w") -> None:
        self.path, self.mode = path, mode

    def __enter__(self) -> IO[Any]:
        handle, self.temporary = _temporary(self.path)
        self.stream: IO[Any] = os.fdopen(
            handle, self.mode, encoding="utf-8" if "b" not in self.mode else None
        )
        return self.stream

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            self.stream.close()
            if kind is None:
                _replace(self.temporary, self.path)
        except OSError as err:
            raise OutputError(f"{self.path}: cannot write ({_reason(err)})") from None
        finally:
            Path(self.temporary).unlink(missing_ok=True)
        if isinstance(error, OSError) and not isinstance(error, UserError):
            raise OutputError(f"{self.path}: cannot write ({_reason(error)})") from None
