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
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.extract import lexicon
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


def owners(tables: dict[str, pa.Table]) -> dict[str, pa.ChunkedArray | None]:
    """The document each row belongs to, per table: its document_id, or that of the row its
    measure_id refers to; None for tables shared by all documents (agencies)."""
    found: dict[str, pa.ChunkedArray | None] = {}
    for name, table in tables.items():
        found[name] = None
        if "document_id" in table.column_names:
            found[name] = table["document_id"]
            continue
        for fk in record_schema(name)["foreignKeys"]:
            referred = tables[fk["reference"]["resource"]]
            if fk["fields"] == ["measure_id"] and "document_id" in referred.column_names:
                rows = pc.index_in(table["measure_id"], value_set=referred["measure_id"])
                found[name] = referred["document_id"].take(rows)
    return found


def embedded_documents(tables: dict[str, pa.Table], owner: dict[str, pa.ChunkedArray | None]) -> list[str] | None:
    """The documents whose rows the page embeds: all (None) unless they exceed EMBEDDED_ROWS,
    then the first documents in package order, as many as fit."""
    if sum(table.num_rows for table in tables.values()) <= EMBEDDED_ROWS:
        return None
    per_document: dict[str, int] = {}
    for name in resource_names():
        if owner[name] is None:
            continue
        counts = pc.value_counts(owner[name])  # in order of first appearance
        for doc, rows in zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist()):
            per_document[doc] = per_document.get(doc, 0) + rows
    kept, total = [], 0
    for doc, rows in per_document.items():
        if total + rows > EMBEDDED_ROWS:
            break
        kept.append(doc)
        total += rows
    return kept


def table_payload(name: str, table: pa.Table, owner: pa.ChunkedArray | None,
                  documents: list[str] | None) -> dict[str, Any]:
    schema = record_schema(name)
    props = schema["properties"]
    names = list(props)
    if documents is not None and owner is not None:  # filtered in Arrow: only kept rows become Python
        table = table.filter(pc.is_in(owner, value_set=pa.array(documents, pa.string())))
    data = table.to_pydict()
    # strings, integers and booleans are JSON as they are; dates and numbers need spelling
    values = [[json_value(v) for v in data[c]] if field_type(props[c]) in ("date", "number") else data[c]
              for c in names]
    rows = [list(row) for row in zip(*values)]
    fields = []
    for column, prop in props.items():
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
        "rows": rows,
    }


def payload(descriptor: dict[str, Any], tables: dict[str, pa.Table], owner: dict[str, pa.ChunkedArray | None],
            documents: list[str] | None) -> dict[str, Any]:
    return {
        "package": {k: descriptor[k] for k in PACKAGE_KEYS if k in descriptor},
        "order": resource_names(),
        "tables": {name: table_payload(name, tables[name], owner[name], documents) for name in resource_names()},
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


def page(descriptor: dict[str, Any], data: dict[str, Any], notice: str = "") -> str:
    title = html.escape(descriptor["title"])
    version = html.escape(str(descriptor.get("version", "")))
    created = html.escape(str(descriptor.get("created", "")))
    nav = "".join(
        f'<a href="#/table/{name}" data-nav="{name}">{name.replace("_", " ")}</a>'
        for name in resource_names()
    )
    return (
        site_file("page.html").replace("%TITLE%", title)
        .replace("%VERSION%", version)
        .replace("%CREATED%", created)
        .replace("%NAV%", nav)
        .replace("%NOTICE%", notice)
        .replace("%STYLE%", site_file("style.css").strip())
        .replace("%SCRIPT%", site_file("app.js").strip())
        .replace("%DATA%", embedded_json(data))  # last: the data may hold any placeholder text
    )


def write_index(folder: Path, descriptor: dict) -> None:
    """Write `folder/index.html` from the Parquet files already written in `folder`."""
    tables = {name: pq.read_table(folder / f"{name}.parquet", columns=list(record_schema(name)["properties"]))
              for name in resource_names()}
    owner = owners(tables)
    documents = embedded_documents(tables, owner)
    notice = "" if documents is None else (
        f'<p class="notice">This page shows the first {len(documents)} documents only (at most '
        f"{EMBEDDED_ROWS:,} rows, so that it opens quickly); counts and charts cover those. The "
        "CSV and Parquet files beside it hold every row.</p>"
    )
    text = page(descriptor, payload(descriptor, tables, owner, documents), notice)
    (folder / "index.html").write_text(text, encoding="utf-8", newline="\n")
