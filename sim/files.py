"""Writing files so that a reader never sees half of one: write aside, then rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        os.fchmod(handle, 0o666 & ~_UMASK)  # mkstemp makes 0600; results are for sharing
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_parquet_atomic(table: object, path: Path) -> None:
    """Write an Arrow table as Parquet, atomically (a reader sees all of it or nothing)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    assert isinstance(table, pa.Table)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    write_atomic(path, sink.getvalue().to_pybytes())


class atomic_stream:  # noqa: N801 - used like open()
    """Write a large file through a temporary file, renamed into place only on success.

    with atomic_stream(path) as stream:
        stream.write(...)
    """

    def __init__(self, path: Path, mode: str = "w") -> None:
        self.path, self.mode = path, mode

    def __enter__(self):  # noqa: ANN204
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, self.temporary = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".part"
        )
        os.fchmod(handle, 0o666 & ~_UMASK)
        self.stream = os.fdopen(
            handle, self.mode, encoding="utf-8" if "b" not in self.mode else None
        )
        return self.stream

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.stream.close()
        if kind is None:
            os.replace(self.temporary, self.path)
        else:
            Path(self.temporary).unlink(missing_ok=True)
