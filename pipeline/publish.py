"""Stage 5, publish: CSV, Parquet and `datapackage.json`, written aside and swapped in whole.

The package is written to a temporary folder next to the target, checked, and only then put in
place, by an atomic exchange of the two folders where the kernel offers one. A build killed at
any moment leaves the previous package complete.
"""
from __future__ import annotations

import csv
import ctypes
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from pipeline.errors import ValidationFailure
from pipeline.schema import (
    arrow_schema,
    categories,
    columns,
    field_type,
    package_metadata,
    record_schema,
    resource_names,
    table_schema,
)

ROW_GROUP_ROWS = 65_536
CONVERT_ROWS = 8_192  # records held before they are converted to Arrow
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
RENAME_EXCHANGE = 2


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def arrow_table(name: str, records: list[Mapping]) -> pa.Table:
    """Records as an Arrow table of the resource's schema. Arrow reads the dicts; categories
    become indices into the full category list, so every file has the same dictionary."""
    schema = arrow_schema(name)
    props = record_schema(name)["properties"]
    plain = pa.schema([pa.field(f.name, pa.string() if is_encoded(f.type) else f.type) for f in schema])
    table = pa.Table.from_pylist(records, schema=plain)
    arrays = []
    for f in schema:
        column = table[f.name].combine_chunks()
        if pa.types.is_dictionary(f.type):
            cats = pa.array(categories(props[f.name]), pa.string())
            indices = pc.index_in(column, value_set=cats).cast(pa.int32())
            if indices.null_count != column.null_count:
                raise ValidationFailure(f"{name}.{f.name}: a value outside its categories {cats.to_pylist()}")
            column = pa.DictionaryArray.from_arrays(indices, cats)
        elif pa.types.is_date(f.type):
            column = column.cast(f.type)  # ISO dates, already validated
        arrays.append(column)
    return pa.Table.from_arrays(arrays, schema=schema)


def is_encoded(kind: pa.DataType) -> bool:
    """Stored as a dictionary or a date, but held in records as a string."""
    return pa.types.is_dictionary(kind) or pa.types.is_date(kind)


def spelled_columns(name: str) -> list[int]:
    """Positions of the columns whose values csv_cell must spell (booleans and numbers)."""
    props = record_schema(name)["properties"]
    return [i for i, c in enumerate(columns(name)) if field_type(props[c]) in ("boolean", "number")]


class PackageWriter:
    """Writes every resource's CSV rows and Parquet row groups as batches of records arrive.

    Row groups hold exactly ROW_GROUP_ROWS rows (the last one fewer), whatever the batches, so
    the files do not depend on how the input was split between files or workers.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counts = dict.fromkeys(resource_names(), 0)
        self.pending: dict[str, list[Mapping]] = {name: [] for name in resource_names()}
        self.converted: dict[str, list[pa.Table]] = {name: [] for name in resource_names()}
        self.csv_files = {name: (folder / f"{name}.csv").open("w", encoding="utf-8", newline="")
                          for name in resource_names()}
        self.csv_writers = {name: csv.writer(fh, lineterminator="\n") for name, fh in self.csv_files.items()}
        self.parquet = {
            name: pq.ParquetWriter(folder / f"{name}.parquet", arrow_schema(name), compression="zstd",
                                   use_dictionary=True)
            for name in resource_names()
        }
        for name, writer in self.csv_writers.items():
            writer.writerow(columns(name))

    def add(self, name: str, records: list[Mapping]) -> None:
        # The csv module writes None as an empty cell and strings and integers as they are;
        # booleans and numbers need our spelling (`true`, `1000000`, not `True`, `1000000.0`).
        spelled = spelled_columns(name)
        row_of = itemgetter(*columns(name))
        rows = []
        for record in records:
            row = list(row_of(record))
            for i in spelled:
                row[i] = csv_cell(row[i])
            rows.append(row)
        self.csv_writers[name].writerows(rows)
        self.counts[name] += len(records)
        pending = self.pending[name]
        pending.extend(records)
        if len(pending) >= CONVERT_ROWS:
            self.convert(name)
        self.write_full_groups(name)

    def convert(self, name: str) -> None:
        """Pending records to Arrow now, while workers still run, not all at the end."""
        if self.pending[name]:
            self.converted[name].append(arrow_table(name, self.pending[name]))
            self.pending[name] = []

    def write_full_groups(self, name: str, *, last: bool = False) -> None:
        """Write the converted rows in groups of exactly ROW_GROUP_ROWS; with `last`, the rest
        too (an empty group for an empty table, so that the file has its schema)."""
        converted = self.converted[name]
        if not last and sum(t.num_rows for t in converted) < ROW_GROUP_ROWS:
            return
        table = pa.concat_tables(converted) if converted else arrow_table(name, [])
        while table.num_rows >= ROW_GROUP_ROWS:
            self.write_group(name, table.slice(0, ROW_GROUP_ROWS))
            table = table.slice(ROW_GROUP_ROWS)
        if last and (table.num_rows or not self.counts[name]):
            self.write_group(name, table)
            table = table.slice(table.num_rows)
        self.converted[name] = [table] if table.num_rows else []

    def write_group(self, name: str, table: pa.Table) -> None:
        self.parquet[name].write_table(table.combine_chunks())

    def close(self) -> None:
        for name in resource_names():
            self.convert(name)
            self.write_full_groups(name, last=True)
            self.parquet[name].close()
            self.csv_files[name].close()


def file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return path.stat().st_size, digest.hexdigest()


def resource_descriptor(folder: Path, name: str, fmt: str) -> dict[str, Any]:
    meta = record_schema(name)
    schema = table_schema(name)
    path = f"{name}.{fmt}"
    size, sha = file_digest(folder / path)
    descriptor: dict[str, Any] = {
        "name": name if fmt == "csv" else f"{name}-parquet",
        "title": meta["title"] + ("" if fmt == "csv" else " (Parquet)"),
        "description": meta["description"],
        "path": path,
        "type": "table",
        "format": fmt,
        "mediatype": "text/csv" if fmt == "csv" else PARQUET_MEDIATYPE,
    }
    if fmt == "csv":
        descriptor["encoding"] = "utf-8"
        descriptor["dialect"] = {"delimiter": ",", "lineTerminator": "\n", "header": True}
    else:
        schema = dict(schema)
        schema["foreignKeys"] = [
            {**fk, "reference": {**fk["reference"], "resource": fk["reference"]["resource"] + "-parquet"}}
            for fk in schema["foreignKeys"]
        ]
    if fmt == "csv":
        descriptor["bytes"] = size
    # frictionless reads Parquet through pyarrow and cannot count its bytes, so a declared byte
    # count would fail its validation; the sha256 is declared for every file.
    descriptor.update({"hash": f"sha256:{sha}", "schema": schema})
    return descriptor


def content_digest(resources: list[dict]) -> str:
    """One digest of every data file: the package's content, whatever its metadata says."""
    return hashlib.sha256("".join(r["hash"] for r in resources).encode()).hexdigest()


def descriptor_for(folder: Path, sources: list[dict], extra: Mapping[str, Any]) -> dict[str, Any]:
    meta = package_metadata()
    resources = [
        resource_descriptor(folder, name, fmt) for name in resource_names() for fmt in ("csv", "parquet")
    ]
    descriptor: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": meta["name"],
        "title": meta["title"],
        "description": meta["description"],
        "homepage": meta["homepage"],
        "keywords": meta["keywords"],
        "licenses": meta["licenses"],
        "sources": sources,
    }
    descriptor.update(extra)
    descriptor["contentHash"] = content_digest(resources)
    descriptor["resources"] = resources
    return descriptor


def write_descriptor(folder: Path, descriptor: Mapping[str, Any]) -> None:
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    (folder / "datapackage.json").write_text(text, encoding="utf-8")


def csv_row_count(path: Path, header: list[str]) -> int:
    """Rows of a CSV file, parsed whole by Arrow: a row with too few or too many cells, or a
    header other than `header`, is an error."""
    with path.open(encoding="utf-8", newline="") as fh:
        found = next(csv.reader(fh), [])
    if found != header:
        raise ValidationFailure(f"{path.name}: header {found}, expected {header}")
    def rows(block_size: int = 1 << 20) -> int:
        return pa_csv.read_csv(
            path, read_options=pa_csv.ReadOptions(block_size=block_size),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()),
                                                  include_columns=header[:1]),
        ).num_rows

    try:
        return rows()
    except pa.ArrowInvalid:
        pass  # perhaps a cell with line breaks longer than a block: read the file as one block
    try:
        return rows(path.stat().st_size + 1)
    except pa.ArrowInvalid as error:
        raise ValidationFailure(f"{path.name}: {error}") from None


def check_written(folder: Path, counts: Mapping[str, int]) -> None:
    """Read back what was written: every file there, row counts as intended."""
    for name in resource_names():
        expected = counts[name]
        csv_rows = csv_row_count(folder / f"{name}.csv", columns(name))
        parquet_rows = pq.ParquetFile(folder / f"{name}.parquet").metadata.num_rows
        if csv_rows != expected or parquet_rows != expected:
            raise ValidationFailure(
                f"{name}: wrote {csv_rows} CSV and {parquet_rows} Parquet rows, expected {expected}"
            )


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    libc = ctypes.CDLL(None, use_errno=True)  # the C library is already loaded into Python
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd = -100
    result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def swap_into_place(staged: Path, target: Path) -> None:
    """Put `staged` at `target`; the old package is removed only once the new one is there."""
    if target.exists() and exchange(staged, target):
        shutil.rmtree(staged)  # now holds the previous package
        return
    # No atomic exchange here: two renames. A failure between them puts the old package
    # back; a kill between them is undone by the next build's `recover`.
    previous = target.with_name(f".{target.name}.previous")
    if previous.exists():
        shutil.rmtree(previous)
    try:
        if target.exists():
            target.rename(previous)
        staged.rename(target)
    except BaseException:
        if previous.exists() and not target.exists():
            previous.rename(target)
        raise
    if previous.exists():
        shutil.rmtree(previous)


def recover(target: Path) -> None:
    """Undo what a killed build left: a half-written staging folder, a moved-away package."""
    previous = target.with_name(f".{target.name}.previous")
    if previous.exists() and not target.exists():
        previous.rename(target)
    for stale in target.parent.glob(f".{target.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    if previous.exists():
        shutil.rmtree(previous, ignore_errors=True)


@contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A fresh folder beside `target` to write the package in; removed if anything fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staged = target.with_name(f".{target.name}.staging-{os.getpid()}")
    if staged.exists():
        shutil.rmtree(staged)
    staged.mkdir()
    try:
        yield staged
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


def finish(staged: Path, target: Path, descriptor: Mapping[str, Any],
           before_swap: Callable[[Path], None] | None = None) -> None:
    """Write the descriptor and put the staged package in place of the old one."""
    write_descriptor(staged, descriptor)
    if before_swap:
        before_swap(staged)
    swap_into_place(staged, target)
