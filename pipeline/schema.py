"""The JSON Schemas in `schemas/` are the single definition of every record type.

The Frictionless table schemas, the Arrow (Parquet) schemas, the record validators and the
data dictionary are all compiled from them here, never written a second time.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from functools import cache, partial
from itertools import repeat
from operator import is_not, itemgetter
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


@cache
def record_values(name: str) -> Callable[[dict], tuple]:
    """A record's values as a tuple in the resource's column order: the form in which rows
    travel from a worker (a third smaller to send than dicts) and are checked and written."""
    return itemgetter(*columns(name))


@cache
def value_positions(name: str, fields: tuple[str, ...]) -> Callable[[tuple], Any]:
    """The given fields of a row of values: the value itself for one field, else a tuple."""
    return itemgetter(*(columns(name).index(f) for f in fields))


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


# `format: date` as the validators read it (a regex: fastjsonschema's own also checks the calendar).
FORMATS = {"date": r"^\d{4}-\d{2}-\d{2}$"}


def record_rules(name: str) -> dict[str, Any]:
    """The JSON Schema a record of `name` is validated against: the table-level metadata
    (keys) dropped, and a required string non-empty, because CSV writes "" and null alike."""
    schema = json.loads(json.dumps(record_schema(name)))
    for keyword in ("primaryKey", "foreignKeys"):  # table-level metadata, not record rules
        schema.pop(keyword)
    for prop in schema["properties"].values():
        if prop["type"] == "string":
            prop.setdefault("minLength", 1)
    return schema


@cache
def validator(name: str):
    """A compiled validator for one record type (fastjsonschema generates Python code once)."""
    return fastjsonschema.compile(record_rules(name), formats=FORMATS)


# JSON Schema type → the Python types a batch check accepts: exact types, so that a subclass, a
# float in an integer column or a bool in a number column goes to the per-record validator.
EXACT_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,), "null": (type(None),),
}
RECORD_KEYWORDS = {"$schema", "$id", "title", "description", "type", "required", "additionalProperties", "properties"}
COLUMN_KEYWORDS = {"type", "description", "minimum", "maximum", "minLength", "enum", "pattern", "format"}
# A JSON Schema pattern is searched, and its `$` ends the string (Python's `\Z`, not `$`).
PATTERN_END = re.compile(r"(?<!\\)\$")


def _column_check(prop: dict[str, Any]) -> Callable[[Sequence], bool] | None:
    """A check of a column's values: True when every one certainly meets `prop`; None if `prop` uses a keyword
    the batch check does not read."""
    kinds = set(prop["type"]) if isinstance(prop["type"], list) else {prop["type"]}
    if (not set(prop) <= COLUMN_KEYWORDS or not kinds <= set(EXACT_TYPES)
            or ("format" in prop and prop["format"] not in FORMATS)
            or not all(v is None or type(v) is str for v in prop.get("enum", []))):
        return None
    types = frozenset(t for kind in kinds for t in EXACT_TYPES[kind])
    enum = frozenset(prop["enum"]) if "enum" in prop else None
    min_length = prop.get("minLength", 0)
    minimum, maximum = prop.get("minimum"), prop.get("maximum")
    pattern = re.compile(PATTERN_END.sub(r"\\Z", prop["pattern"])).search if "pattern" in prop else None
    date = re.compile(FORMATS[prop["format"]]).match if "format" in prop else None
    strings_checked = min_length or pattern or date
    numbers_checked = minimum is not None or maximum is not None
    # The length, pattern and format rules apply to strings, the bounds to numbers: they are
    # checked here only in a column that holds nothing else (besides null).
    if (strings_checked and kinds - {"null"} != {"string"}) or (
            numbers_checked and not kinds - {"null"} <= {"integer", "number"}):
        return None
    nullable = "null" in kinds
    not_null = partial(is_not, None)

    def check(values: Sequence) -> bool:
        if not set(map(type, values)) <= types:
            return False
        if enum is not None and not set(values) <= enum:
            return False
        if not (strings_checked or numbers_checked):
            return True
        present = list(filter(not_null, values)) if nullable else values  # what the other rules read
        if not present:
            return True
        # A NaN first makes min() NaN and the check fail (to the per-record validator); a NaN
        # further on is passed over, as `NaN < minimum` lets it pass there.
        return ((minimum is None or min(present) >= minimum)
                and (maximum is None or max(present) <= maximum)
                and (min_length != 1 or all(present))  # only "" is false among strings
                and (min_length <= 1 or min(map(len, present)) >= min_length)
                and (pattern is None or all(map(pattern, present)))
                and (date is None or all(map(date, present))))

    return check


@cache
def batch_check(name: str) -> Callable[[list], bool]:
    """A check of a whole batch of records of `name`, column by column, far cheaper than the
    per-record validator: True only when every record certainly meets every rule of the
    schema, False when any may not (the per-record validator then finds and names it). A
    schema using a keyword it does not read is never certain: each record goes through the
    validator."""
    rules = record_rules(name)
    properties = rules["properties"]
    checks = [_column_check(prop) for prop in properties.values()]
    if (not set(rules) <= RECORD_KEYWORDS or rules["type"] != "object" or rules["additionalProperties"] is not False
            or set(rules["required"]) != set(properties) or None in checks):
        return lambda records: False
    width = len(properties)
    row_values = itemgetter(*properties)  # a record's values in column order (one column: its value)

    def check(records: list) -> bool:
        # A record with as many keys as the schema has properties, every one of which it holds,
        # has exactly those keys: none missing, none beyond them.
        if not (set(map(type, records)) <= {dict} and set(map(len, records)) <= {width}):
            return False
        try:
            rows = list(map(row_values, records))  # KeyError when a record lacks a column
        except KeyError:
            return False
        # One tuple of values per column (transposed in C), each read by its column's check.
        columns = (rows,) if width == 1 else zip(*rows) if rows else repeat(())
        return all(check(values) for check, values in zip(checks, columns))

    return check
