"""`index.html`: one self-contained page to browse a built package.

Everything is inline: the rows of every table as JSON in a `<script type="application/json">`
tag, the style, and a small vanilla script that draws the views and the SVG charts. The
template, style and script are files of their own in `pipeline/site/`, inlined at build time. Nothing is
fetched, so the page works from a zip, a USB stick or file://. Views are addressed by the hash
(`#/table/NAME`, `#/document/ID`, `#/measure/ID`, `#/agency/ID`), so every view can be linked.

The file is a function of the package alone: rows in file order, keys sorted, no timestamp but
the descriptor's `created`; the same package gives a byte-identical page.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.extract import lexicon
from pipeline.readback import Among, row_groups
from pipeline.schema import categories, field_type, is_nullable, record_schema, resource_names

PACKAGE_KEYS = (
    "name", "title", "description", "version", "created", "homepage", "keywords", "licenses",
    "sources", "skippedSources", "contentHash",
)


def json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return int(value)
        return value if math.isfinite(value) else None
    return value


# A browser page holding more rows than this becomes slow to open; the files hold them all.
EMBEDDED_ROWS = 25_000
JSON_ROWS = 1_024  # rows made Python objects and JSON text at a time


def columns_of(folder: Path, name: str, columns: list[str], among: Among | None = None) -> Iterator[pa.RecordBatch]:
    """A table's columns, batch by batch (`readback.row_groups`): the page's rows are those of
    the first documents, and with `among` a large package's other row groups are not read."""
    return row_groups(folder / f"{name}.parquet", columns, among)


def measure_owned(name: str) -> bool:
    """A table whose rows belong to a document through their measure (no document_id of their own)."""
    props = record_schema(name)["properties"]
    return "document_id" not in props and any(
        fk["fields"] == ["measure_id"] for fk in record_schema(name)["foreignKeys"])


def row_counts(folder: Path, name: str, column: str, owner_of: dict[str, str]) -> dict[str, int]:
    """Rows of the table per document, for the documents (or measures) in `owner_of` only."""
    counts: dict[str, int] = {}
    wanted = pa.array(list(owner_of), pa.string())
    for batch in columns_of(folder, name, [column], (column, sorted(owner_of))):
        values = batch.column(0)
        found = pc.value_counts(values.filter(pc.is_in(values, value_set=wanted)))  # in Arrow, not per row
        for value, rows in zip(found.field("values").to_pylist(), found.field("counts").to_pylist()):
            owner = owner_of[value]
            counts[owner] = counts.get(owner, 0) + rows
    return counts


def fitting(documents: list[str], counts: list[dict[str, int]]) -> list[str]:
    """The first documents, in package order, whose rows add up to at most EMBEDDED_ROWS."""
    kept, total = [], 0
    for doc in documents:
        rows = sum(c.get(doc, 0) for c in counts)
        if total + rows > EMBEDDED_ROWS:
            break
        kept.append(doc)
        total += rows
    return kept


def embedded_documents(folder: Path) -> list[str] | None:
    """The documents whose rows the page embeds: all (None) unless the package has more than
    EMBEDDED_ROWS rows, then the first documents in package order, as many as fit.

    Read column by column and batch by batch, and only for documents that can fit (every
    document is a row of its own, so at most the first EMBEDDED_ROWS of them): the page of a
    package of any size is made in bounded memory."""
    total = sum(pq.ParquetFile(folder / f"{name}.parquet").metadata.num_rows for name in resource_names())
    if total <= EMBEDDED_ROWS:
        return None
    candidates: list[str] = []
    for batch in columns_of(folder, "documents", ["document_id"]):
        candidates += batch.column(0).to_pylist()[:EMBEDDED_ROWS - len(candidates)]
        if len(candidates) >= EMBEDDED_ROWS:
            break
    itself = {doc: doc for doc in candidates}
    counts = [row_counts(folder, name, "document_id", itself) for name in resource_names()
              if "document_id" in record_schema(name)["properties"]]
    # Rows reached through a measure only add to these counts: the documents that fit without
    # them are a bound, and their measures are few (each is one of the rows that fit).
    bound = set(fitting(candidates, counts))
    measures = {m: doc for batch in columns_of(folder, "measures", ["measure_id", "document_id"],
                                               ("document_id", sorted(bound)))
                for m, doc in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist()) if doc in bound}
    counts += [row_counts(folder, name, "measure_id", measures) for name in resource_names() if measure_owned(name)]
    return fitting(candidates, counts)


def embedded_measures(folder: Path, documents: list[str]) -> list[str]:
    """The ids of the given documents' measures, sorted."""
    kept = pa.array(documents, pa.string())
    return sorted(measure for batch in columns_of(folder, "measures", ["measure_id", "document_id"],
                                                  ("document_id", sorted(documents)))
                  for measure in batch.column(0).filter(pc.is_in(batch.column(1), value_set=kept)).to_pylist())


def embedded_batches(folder: Path, name: str, documents: list[str] | None,
                     measures: list[str] | None) -> Iterator[pa.RecordBatch]:
    """The rows of a table the page embeds, batch by batch: all of them, or those of the given
    documents (and of their measures, `embedded_measures`, for a table without a document_id)."""
    names = list(record_schema(name)["properties"])
    if documents is None or not ("document_id" in names or measure_owned(name)):
        yield from columns_of(folder, name, names)
        return
    owner = "document_id" if "document_id" in names else "measure_id"
    wanted = sorted(documents) if owner == "document_id" else measures
    kept = pa.array(wanted, pa.string())
    for batch in columns_of(folder, name, names, (owner, wanted)):
        yield batch.filter(pc.is_in(batch.column(owner), value_set=kept))


def payload_rows(name: str, batches: Iterable[pa.RecordBatch]) -> Iterator[list[list]]:
    """The rows of the batches as JSON-ready lists of values, JSON_ROWS at a time."""
    props = record_schema(name)["properties"]
    # strings, integers and booleans are JSON as they are; dates and numbers need spelling
    spelled = [field_type(props[c]) in ("date", "number") for c in props]
    for batch in batches:
        for start in range(0, batch.num_rows, JSON_ROWS):
            data = batch.slice(start, JSON_ROWS).to_pydict()
            values = [[json_value(v) for v in data[c]] if spell else data[c] for c, spell in zip(props, spelled)]
            yield [list(row) for row in zip(*values)]


class Rows:
    """A JSON array written piece by piece (`json_pieces`): its items come as lists of rows."""

    def __init__(self, chunks: Iterable[list]) -> None:
        self.chunks = chunks


def table_payload(name: str, batches: Iterable[pa.RecordBatch]) -> dict[str, Any]:
    schema = record_schema(name)
    fields = []
    for column, prop in schema["properties"].items():
        field = {"name": column, "type": field_type(prop), "description": prop["description"],
                 "nullable": is_nullable(prop)}
        if values := categories(prop):
            field["categories"] = values
        fields.append(field)
    return {
        "title": schema["title"],
        "description": schema["description"],
        "primaryKey": schema["primaryKey"],
        "columns": fields,
        "rows": Rows(payload_rows(name, batches)),
    }


def payload(descriptor: dict[str, Any], folder: Path, documents: list[str] | None) -> dict[str, Any]:
    """The page's data; the tables' rows are read as the JSON is written (`json_pieces`)."""
    measures = None if documents is None else embedded_measures(folder, documents)
    return {
        "package": {k: descriptor[k] for k in PACKAGE_KEYS if k in descriptor},
        "order": resource_names(),
        "tables": {name: table_payload(name, embedded_batches(folder, name, documents, measures))
                   for name in resource_names()},
        "codebook": [dict(row) for row in lexicon.rows("instrument_codebook")],
    }


@cache
def site_file(name: str) -> str:
    """The page's template, style or script: files of their own in `pipeline/site/`, inlined
    into index.html at build time so that the page needs nothing beside it."""
    return resources.files("pipeline").joinpath("site", name).read_text("utf-8")


def embedded_json(data: Any) -> str:
    """JSON safe inside a <script> element: no `</script>` or `<!--` can appear in it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def json_pieces(data: Any) -> Iterator[str]:
    """`embedded_json(data)` in pieces, whose concatenation is the same text: objects key by
    key, a `Rows` array chunk by chunk, so that the page's rows are never all in memory at once
    as objects or as text. Each piece goes through `embedded_json`, whose escapes replace single
    characters and so apply piece by piece alike."""
    if isinstance(data, dict):
        yield "{"
        for i, key in enumerate(sorted(data)):
            yield ("," if i else "") + embedded_json(key) + ":"
            yield from json_pieces(data[key])
        yield "}"
    elif isinstance(data, Rows):
        yield "["
        first = True
        for chunk in data.chunks:
            if chunk:
                yield ("" if first else ",") + embedded_json(chunk)[1:-1]
                first = False
        yield "]"
    else:
        yield embedded_json(data)


def page_shell(descriptor: dict[str, Any], notice: str = "") -> tuple[str, str]:
    """The page before and after its data."""
    title = html.escape(descriptor["title"])
    version = html.escape(str(descriptor.get("version", "")))
    created = html.escape(str(descriptor.get("created", "")))
    nav = "".join(
        f'<a href="#/table/{name}" data-nav="{name}">{name.replace("_", " ")}</a>'
        for name in resource_names()
    )
    # Split first: what the placeholders are replaced with may hold any text, %DATA% too.
    before, after = site_file("page.html").split("%DATA%")
    return tuple(
        part.replace("%TITLE%", title)
        .replace("%VERSION%", version)
        .replace("%CREATED%", created)
        .replace("%NAV%", nav)
        .replace("%NOTICE%", notice)
        .replace("%STYLE%", site_file("style.css").strip())
        .replace("%SCRIPT%", site_file("app.js").strip())
        for part in (before, after)
    )


def write_index(folder: Path, descriptor: dict) -> None:
    """Write `folder/index.html` from the Parquet files already written in `folder`, table by
    table and chunk by chunk: its memory does not grow with the package."""
    documents = embedded_documents(folder)
    notice = "" if documents is None else (
        f'<p class="notice">This page shows the first {len(documents)} documents only (at most '
        f"{EMBEDDED_ROWS:,} rows, so that it opens quickly); counts and charts cover those. The "
        "CSV and Parquet files beside it hold every row.</p>"
    )
    before, after = page_shell(descriptor, notice)
    with (folder / "index.html").open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(before)
        for piece in json_pieces(payload(descriptor, folder, documents)):
            fh.write(piece)
        fh.write(after)
