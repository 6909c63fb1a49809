"""The JSON Schemas in `schemas/` are the single definition of every record type.

The Frictionless table schemas, the Arrow (Parquet) schemas, the record validators and the
data dictionary are all compiled from them here, never written a second time.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

if TYPE_CHECKING:
    import pyarrow as pa

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


@cache
def package_metadata() -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / "_package.json").read_text("utf-8"))


def resource_names() -> list[str]:
    return list(package_metadata()["resources"])


@cache
def record_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))


def columns(name: str) -> list[str]:
    return list(record_schema(name)["properties"])


def base_type(prop: dict[str, Any]) -> str:
    kind = prop["type"]
    return next(t for t in kind if t != "null") if isinstance(kind, list) else kind


def is_nullable(prop: dict[str, Any]) -> bool:
    return isinstance(prop["type"], list) and "null" in prop["type"]


def field_type(prop: dict[str, Any]) -> str:
    if prop.get("format") == "date":
        return "date"
    return base_type(prop)


def categories(prop: dict[str, Any]) -> list[str] | None:
    values = [v for v in prop.get("enum", []) if v is not None]
    return values or None


def table_schema(name: str) -> dict[str, Any]:
    """Frictionless Table Schema (v2) for one resource."""
    schema = record_schema(name)
    fields = []
    for column, prop in schema["properties"].items():
        field: dict[str, Any] = {"name": column, "type": field_type(prop), "description": prop["description"]}
        constraints: dict[str, Any] = {}
        if not is_nullable(prop):
            constraints["required"] = True
        if values := categories(prop):
            field["categories"] = values
            constraints["enum"] = values
        for keyword in ("minimum", "maximum", "minLength"):
            if keyword in prop:
                constraints[keyword] = prop[keyword]
        if "pattern" in prop:  # Table Schema patterns match the whole value: no anchors
            constraints["pattern"] = prop["pattern"].removeprefix("^").removesuffix("$")
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": schema["primaryKey"],
        "foreignKeys": schema["foreignKeys"],
    }


# Table Schema type → the pyarrow type of that name (pyarrow itself is imported only where used)
ARROW_TYPES = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool_", "date": "date32"}


# How pandas should rebuild each column: nullable Int64/boolean keep a missing year missing
# instead of turning the column into floats. Written by hand, without importing pandas, so the
# files do not depend on the pandas version installed.
PANDAS_TYPES = {
    "string": ("unicode", "object"),
    "integer": ("int64", "Int64"),
    "number": ("float64", "float64"),
    "boolean": ("bool", "boolean"),
    "date": ("date", "object"),
}


def pandas_metadata(name: str) -> bytes:
    columns = []
    for column, prop in record_schema(name)["properties"].items():
        if cats := categories(prop):
            pandas_type, numpy_type = "categorical", "int32"
            extra = {"num_categories": len(cats), "ordered": False}
        else:
            (pandas_type, numpy_type), extra = PANDAS_TYPES[field_type(prop)], None
        columns.append({"name": column, "field_name": column, "pandas_type": pandas_type,
                        "numpy_type": numpy_type, "metadata": extra})
    return json.dumps({"index_columns": [], "column_indexes": [], "columns": columns}).encode()


@cache
def arrow_schema(name: str) -> pa.Schema:
    """Arrow schema for one resource; categorical columns are dictionary-encoded."""
    import pyarrow as pa  # here: the worker processes validate records and never need Arrow

    fields = []
    for column, prop in record_schema(name)["properties"].items():
        kind = getattr(pa, ARROW_TYPES[field_type(prop)])()
        if categories(prop):
            kind = pa.dictionary(pa.int32(), pa.string())
        fields.append(pa.field(column, kind, nullable=is_nullable(prop)))
    return pa.schema(fields, metadata={b"pandas": pandas_metadata(name)})


@cache
def validator(name: str):
    """A compiled validator for one record type (fastjsonschema generates Python code once)."""
    schema = json.loads(json.dumps(record_schema(name)))
    for keyword in ("primaryKey", "foreignKeys"):  # table-level metadata, not record rules
        schema.pop(keyword)
    for prop in schema["properties"].values():
        # CSV writes "" and null alike, so a required string may not be empty.
        if prop["type"] == "string":
            prop.setdefault("minLength", 1)
    return fastjsonschema.compile(schema, formats={"date": r"^\d{4}-\d{2}-\d{2}$"})
