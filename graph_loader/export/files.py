"""Writing the export tables (and `query --format parquet`) as files: Parquet or CSV, streamed in
batches, each file atomic.

A table is written to a hidden temporary file beside its destination and moved over it only when
complete (`os.replace`), so an export killed part-way leaves the previous files, or none, never half
of one. Each batch is one Parquet row group (or a run of CSV lines): memory holds one batch.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Literal

from graph_loader.errors import ImrGraphError
from graph_loader.export.tables import CSV_LIST_DELIMITER, Column, Table, arrow_schema, arrow_type
from graph_loader.graph.rows import Row

ExportFormat = Literal["parquet", "csv"]
# zstd: smaller than snappy at similar speed, read by DuckDB, R arrow, pandas and Spark alike.
PARQUET_COMPRESSION = "zstd"


class ExportError(ImrGraphError):
    """An export cannot be written: a bad output folder or file, or a value its column cannot hold."""


def check_folder(folder: Path) -> None:
    """Create the output folder if needed; a one-line ExportError names what is wrong with it."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder}: not a folder (a file of that name is there)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{folder}: cannot create the folder ({exc.strerror or exc})") from exc
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".imr-graph-probe-")
    except OSError as exc:
        raise ExportError(f"{folder}: not writable ({exc.strerror or exc})") from exc
    os.close(fd)
    os.unlink(probe)


def check_output_file(path: Path) -> None:
    if path.is_dir():
        raise ExportError(f"{path}: is a folder, not a file")
    if not path.parent.is_dir():
        raise ExportError(f"{path}: no such folder {path.parent}")
    if not os.access(path.parent, os.W_OK):
        raise ExportError(f"{path}: the folder {path.parent} is not writable")


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that appears at `path` complete, or not at all."""
    # Not mkstemp: its files are private (0600); these get the mode the umask gives any new file.
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """A manifest.json: which data a file was made from (the dataset block) and what it holds, so a
    figure computed from it can name both. Atomic, like the files it describes."""
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    body = {"createdAt": now, **manifest}
    with atomic_file(path) as handle:
        handle.write((json.dumps(body, indent=2, default=str) + "\n").encode())


def _date(value: Any, column: Column, row: Row) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        where = row.get("letter_id") or row.get("decision_id") or "a row"
        raise ExportError(f"{where}: {column.name} {value!r} is not an ISO date") from exc


def _csv_list(values: Sequence[Any] | None) -> str | None:
    return None if values is None else CSV_LIST_DELIMITER.join(str(v) for v in values)


def record_batch(table: Table, rows: list[Row], *, csv: bool = False) -> Any:
    """The rows as one Arrow record batch of the table's schema (for CSV, lists joined)."""
    import pyarrow as pa

    arrays = []
    for column in table.columns:
        values = [row[column.name] for row in rows]
        if column.type == "date32":
            values = [_date(v, column, row) for v, row in zip(values, rows, strict=True)]
        elif csv and column.is_list:
            values = [_csv_list(v) for v in values]
        try:
            arrays.append(pa.array(values, type=arrow_type(column, csv=csv)))
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:
            raise ExportError(
                f"{table.name}.{column.name}: a value does not fit {column.type} ({exc})"
            ) from exc
    return pa.RecordBatch.from_arrays(arrays, schema=arrow_schema(table, csv=csv))


class TableFile:
    """One table being written: `write(rows)` per batch, then `commit()`; `abort()` leaves nothing."""

    def __init__(self, table: Table, folder: Path, fmt: ExportFormat) -> None:
        import pyarrow.csv as pa_csv
        import pyarrow.parquet as pq

        self.table, self.fmt, self.rows = table, fmt, 0
        self.path = folder / f"{table.name}.{fmt}"
        self._context = atomic_file(self.path)
        handle = self._context.__enter__()
        schema = arrow_schema(table, csv=fmt == "csv")
        self._writer: Any = (
            pq.ParquetWriter(handle, schema, compression=PARQUET_COMPRESSION)
            if fmt == "parquet"
            else pa_csv.CSVWriter(handle, schema)
        )

    def write(self, rows: list[Row]) -> None:
        if rows:
            self._writer.write_batch(record_batch(self.table, rows, csv=self.fmt == "csv"))
            self.rows += len(rows)

    def commit(self) -> None:
        self._writer.close()
        self._context.__exit__(None, None, None)

    def abort(self, exc: BaseException) -> None:
        with contextlib.suppress(Exception):
            self._writer.close()
        with contextlib.suppress(BaseException):
            self._context.__exit__(type(exc), exc, exc.__traceback__)


# ---- a stored query's rows ----------------------------------------------------------------------


def _infer(values: list[Any]) -> Any:
    """An Arrow array with the type pyarrow infers; a column mixing types becomes JSON text."""
    import pyarrow as pa

    try:
        array = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
        array = None
    if array is None or pa.types.is_null(array.type):
        text = [
            None if v is None else v if isinstance(v, str) else json.dumps(v, default=str) for v in values
        ]
        array = pa.array(text, type=pa.string())
    return array


def _declared_type(kind: str) -> Any:
    """The Arrow type of a stored query's `// columns:` type (graph_loader/stored_queries.py)."""
    import pyarrow as pa

    return {
        "string": pa.string(),
        "json": pa.string(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
        "list<string>": pa.list_(pa.string()),
        "list<int64>": pa.list_(pa.int64()),
    }[kind]


def _typed(name: str, kind: str, values: list[Any]) -> Any:
    import pyarrow as pa

    if kind == "json":
        values = [None if v is None or isinstance(v, str) else json.dumps(v, default=str) for v in values]
    try:
        return pa.array(values, type=_declared_type(kind))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, OverflowError) as exc:
        raise ExportError(f"column {name}: a value does not fit its declared type {kind} ({exc})") from exc


def write_query_parquet(
    columns: list[str], rows: list[dict[str, Any]], path: Path, types: dict[str, str] | None = None
) -> None:
    """A stored query's rows as one Parquet file, written atomically. A column the query's
    `// columns:` header types (`types`) has that type, rows or none; any other column's type is
    inferred from its values, and one with no values, or values of several types, is a string column."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    check_output_file(path)
    types = types or {}
    table = pa.table(
        {
            c: _typed(c, types[c], [row.get(c) for row in rows])
            if c in types
            else _infer([row.get(c) for row in rows])
            for c in columns
        }
    )
    with atomic_file(path) as handle:
        pq.write_table(table, handle, compression=PARQUET_COMPRESSION)
