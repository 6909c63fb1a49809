"""An Excel workbook of a built package: a README sheet, then one sheet per resource.

Excel opens a UTF-8 CSV without a byte-order mark in the machine's legacy code page and garbles
the Chinese; the workbook is what a spreadsheet user should open instead. Everything in it is
generated from the schemas (column order, types, descriptions) and the Parquet files, and its
bytes depend on the package alone: the document properties and the zip entries carry the
package's `created` time, never the time of writing.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import xlsxwriter

from pipeline.schema import (
    categories,
    columns,
    field_type,
    is_nullable,
    record_schema,
    resource_names,
)

# Excel's own limits: rows per sheet (the header takes one) and characters per cell.
MAX_ROWS = 1_048_575
MAX_CELL = 32_767
CUT_MARK = "…[cut: see the CSV]"
BATCH_ROWS = 8_192
README_SHEET = "README"


def created_time(descriptor: dict[str, Any]) -> dt.datetime:
    """The package's `created` as a naive UTC datetime (Excel stores no time zone)."""
    stamp = descriptor.get("created") or "1980-01-01T00:00:00Z"
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).replace(tzinfo=None)


def cell_text(value: str) -> tuple[str, bool]:
    """A string that fits an Excel cell, and whether it had to be cut."""
    if len(value) <= MAX_CELL:
        return value, False
    return value[: MAX_CELL - len(CUT_MARK)] + CUT_MARK, True


def write_sheet(book: xlsxwriter.Workbook, folder: Path, name: str, formats: dict) -> dict[str, int]:
    """One resource's rows, typed as the schema says; returns how many rows and cells were cut."""
    sheet = book.add_worksheet(name[:31])
    props = record_schema(name)["properties"]
    names = columns(name)
    for col, column in enumerate(names):
        sheet.write_string(0, col, column, formats["header"])
        sheet.write_comment(0, col, props[column]["description"])
    sheet.freeze_panes(1, 1)
    kinds = [field_type(props[c]) for c in names]
    row = 0
    cut_cells = 0
    parquet = pq.ParquetFile(folder / f"{name}.parquet")
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=names):
        values = batch.to_pydict()
        for i in range(batch.num_rows):
            if row >= MAX_ROWS:
                return {"rows": parquet.metadata.num_rows, "written": row, "cut_cells": cut_cells}
            row += 1
            for col, (column, kind) in enumerate(zip(names, kinds)):
                value = values[column][i]
                if value is None:
                    continue
                if kind == "boolean":
                    sheet.write_boolean(row, col, value)
                elif kind in ("integer", "number"):
                    sheet.write_number(row, col, value)
                elif kind == "date":
                    sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), formats["date"])
                else:
                    text, cut = cell_text(str(value))
                    cut_cells += cut
                    sheet.write_string(row, col, text)
    sheet.autofilter(0, 0, max(row, 1), len(names) - 1)
    return {"rows": parquet.metadata.num_rows, "written": row, "cut_cells": cut_cells}


def write_readme(sheet, descriptor: dict[str, Any], written: dict[str, dict[str, int]], formats: dict) -> None:
    lines: list[tuple[str, ...]] = [
        (descriptor["title"],),
        (descriptor.get("description", ""),),
        (f"version {descriptor.get('version', '')}, created {descriptor.get('created', '')}; "
         "the same rows as the CSV and Parquet files of the package (datapackage.json).",),
        (),
    ]
    for name in resource_names():
        counts = written[name]
        note = f"{counts['rows']} rows"
        if counts["written"] < counts["rows"]:
            note += f"; only the first {counts['written']} fit an Excel sheet: use the CSV or Parquet file"
        if counts["cut_cells"]:
            note += f"; {counts['cut_cells']} cells longer than Excel's {MAX_CELL} characters are cut"
        lines += [(f"sheet {name}", note), (record_schema(name)["description"],),
                  ("column", "type", "null", "meaning", "allowed values")]
        for column, prop in record_schema(name)["properties"].items():
            lines.append((column, field_type(prop), "yes" if is_nullable(prop) else "no",
                          prop["description"], ", ".join(categories(prop) or [])))
        lines.append(())
    for row, line in enumerate(lines):
        for col, text in enumerate(line):
            bold = row == 0 or (col == 0 and text.startswith("sheet ")) or line[:1] == ("column",)
            sheet.write_string(row, col, text, formats["header"] if bold else None)
    sheet.set_column(0, 0, 22)
    sheet.set_column(3, 3, 80)


def write_workbook(folder: Path, descriptor: dict[str, Any], target: Path) -> Path:
    """`target` (.xlsx) from the package in `folder`, deterministic for one package."""
    options = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
               "constant_memory": False}
    with xlsxwriter.Workbook(str(target), options) as book:
        # XlsxWriter stamps the zip entries with the `created` property: a fixed one gives
        # byte-identical files.
        book.set_properties({"title": descriptor["title"], "created": created_time(descriptor)})
        formats = {"header": book.add_format({"bold": True}), "date": book.add_format({"num_format": "yyyy-mm-dd"})}
        readme = book.add_worksheet(README_SHEET)
        written = {name: write_sheet(book, folder, name, formats) for name in resource_names()}
        write_readme(readme, descriptor, written, formats)
    return target
