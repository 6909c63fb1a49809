"""Reading CSV files with the csv module, whatever the length of a cell.

The csv module refuses a cell longer than 131,072 characters unless told otherwise, and a
paragraph of a policy text can be longer: every CSV the pipeline reads goes through here.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

# The largest limit the csv module accepts everywhere (a C long, 32 bits on some systems).
CELL_LIMIT = 2**31 - 1


def reader(lines: Iterable[str]) -> Iterator[list[str]]:
    csv.field_size_limit(CELL_LIMIT)
    return csv.reader(lines)


def dict_reader(lines: Iterable[str]) -> csv.DictReader:
    csv.field_size_limit(CELL_LIMIT)
    return csv.DictReader(lines)
