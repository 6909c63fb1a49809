"""Published Parquet tables read back a row group at a time, and only the row groups whose
statistics admit one of the values wanted: the browsing page's rows (those of the first
documents) and a file's rows carried forward from the previous release (`--keep-going`) are
read in memory that does not grow with the package.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

BATCH_ROWS = 16_384  # rows handed on at a time
Among = tuple[str, list[str]]  # a column, and values wanted in it (sorted)


def row_groups(path: Path, columns: list[str], among: Among | None = None) -> Iterator[pa.RecordBatch]:
    """The file's columns, batch by batch, in file order, one row group in memory at a time
    (`iter_batches` reads ahead: over a large file it held several times as much); with
    `among`, only the row groups that may hold one of its values (`may_hold`)."""
    parquet = pq.ParquetFile(path, pre_buffer=False)
    position = parquet.schema_arrow.get_field_index(among[0]) if among else -1
    for group in range(parquet.num_row_groups):
        if among and not may_hold(parquet.metadata.row_group(group).column(position).statistics, among[1]):
            continue
        yield from parquet.read_row_group(group, columns=columns, use_threads=False).to_batches(BATCH_ROWS)


def may_hold(statistics, wanted: list[str]) -> bool:
    """Whether a row group whose column has these statistics may hold one of the `wanted`
    values (sorted): one lies between its minimum and maximum. Parquet orders strings by their
    UTF-8 bytes, as Python orders them by code point."""
    if statistics is None or not statistics.has_min_max:
        return True
    first = bisect_left(wanted, statistics.min)
    return first < len(wanted) and wanted[first] <= statistics.max
