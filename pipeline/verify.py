"""`pipeline validate`: a published package checked against its own descriptor, in Arrow.

The checks are those of `frictionless validate` for the schemas this pipeline writes: the
files are there with the declared bytes and sha256; the CSV has the declared header; every
cell parses as its field's type (string, integer, number, boolean, date); every constraint
holds (required, enum, minimum, maximum, minLength, pattern); primary keys are unique and
complete; every foreign key finds its row. Parquet copies are checked the same way and must
hold the CSV's row count. Each column is checked as one Arrow array instead of cell by cell in
Python, which makes the check a fraction of the build's time (frictionless takes several
times the build). `pipeline validate --frictionless` runs frictionless as well.
"""
from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

# How frictionless reads each type from CSV text (its defaults for the fields we write).
TYPE_PATTERNS = {
    "integer": r"^[+-]?\d+$",
    "number": r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$|^(?:NaN|INF|-INF)$",
    "boolean": r"^(?:true|false|True|False|TRUE|FALSE|1|0)$",
    "date": r"^\d{4}-\d{2}-\d{2}$",
}
SHOWN_ERRORS = 5


@dataclass
class Problem:
    resource: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_csv(path: Path, names: list[str]) -> pa.Table:
    """Every cell as a string (null for an empty cell), header included as names."""
    return pa_csv.read_csv(
        path,
        read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, block_size=max(1 << 20, path.stat().st_size + 1)),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                              strings_can_be_null=True, null_values=[""],
                                              quoted_strings_can_be_null=True),
    )


def header_of(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh), [])


def row_numbers(mask: pa.Array) -> list[int]:
    """1-based data row numbers (the header is row 1, as frictionless counts) where mask holds."""
    return [i + 2 for i in pc.indices_nonzero(mask).to_pylist()[:SHOWN_ERRORS]]


def typed(column: pa.ChunkedArray, kind: str) -> pa.ChunkedArray:
    """A CSV column as its field type (the cells are known to parse)."""
    if kind == "integer":
        return column.cast(pa.int64())
    if kind == "number":
        return column.cast(pa.float64())
    if kind == "boolean":
        return pc.is_in(pc.utf8_lower(column), value_set=pa.array(["true", "1"]))
    if kind == "date":
        return column.cast(pa.date32())
    return column


def field_problems(name: str, field: dict[str, Any], column: pa.ChunkedArray, from_csv: bool) -> Iterator[Problem]:
    kind = field["type"]
    constraints = field.get("constraints", {})
    present = pc.is_valid(column)
    if constraints.get("required") and column.null_count:
        yield Problem(name, "constraint-error", f"{field['name']}: required, empty in rows {row_numbers(pc.invert(present))}")
    values = column.filter(present)
    if from_csv and kind in TYPE_PATTERNS:
        bad = pc.invert(pc.match_substring_regex(column, TYPE_PATTERNS[kind]))
        bad = pc.and_kleene(bad, present)
        if pc.any(bad).as_py():
            yield Problem(name, "type-error", f"{field['name']}: not a {kind} in rows {row_numbers(bad)}")
            return
        values = typed(values, kind)
    if kind == "date" and not from_csv:
        values = values.cast(pa.date32())
    if "enum" in constraints:
        text = values if pa.types.is_string(values.type) else values.cast(pa.string())
        outside = pc.invert(pc.is_in(text, value_set=pa.array(constraints["enum"])))
        if pc.any(outside).as_py():
            shown = pc.unique(text.filter(outside)).to_pylist()[:SHOWN_ERRORS]
            yield Problem(name, "constraint-error", f"{field['name']}: {shown} not in {constraints['enum']}")
    for bound, test in (("minimum", pc.less), ("maximum", pc.greater)):
        if bound in constraints and len(values) and pc.any(test(values, constraints[bound])).as_py():
            yield Problem(name, "constraint-error", f"{field['name']}: a value beyond its {bound} {constraints[bound]}")
    if "minLength" in constraints and len(values) and pc.any(pc.less(pc.utf8_length(values), constraints["minLength"])).as_py():
        yield Problem(name, "constraint-error", f"{field['name']}: a value shorter than {constraints['minLength']}")
    if "pattern" in constraints and len(values):
        # Table Schema patterns match the whole value
        whole = pc.match_substring_regex(values, f"^(?:{constraints['pattern']})$")
        if not pc.all(whole).as_py():
            shown = values.filter(pc.invert(whole)).to_pylist()[:SHOWN_ERRORS]
            yield Problem(name, "constraint-error", f"{field['name']}: {shown} do not match {constraints['pattern']!r}")


def key_strings(table: pa.Table, fields: list[str]) -> pa.ChunkedArray | pa.Array:
    """One comparable string per row for a (possibly composite) key; null if any part is."""
    parts = [table[f].cast(pa.string()) for f in fields]
    if len(parts) == 1:
        return parts[0]
    return pc.binary_join_element_wise(*parts, "\x1f")


def duplicates(keys) -> list:
    counts = pc.value_counts(keys)
    repeated = counts.filter(pc.greater(counts.field("counts"), 1))
    return repeated.field("values").to_pylist()[:SHOWN_ERRORS]


def verify(folder: Path) -> list[Problem]:
    """Every problem of the package in `folder`; [] when it is valid."""
    descriptor_path = folder / "datapackage.json"
    try:
        descriptor = json.loads(descriptor_path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return [Problem("datapackage.json", "package-error", f"{descriptor_path}: cannot be read ({error})")]
    problems: list[Problem] = []
    tables: dict[str, pa.Table] = {}
    resources = descriptor.get("resources", [])
    for resource in resources:
        name, path = resource["name"], folder / resource["path"]
        if not path.is_file():
            problems.append(Problem(name, "scheme-error", f"{resource['path']}: no such file"))
            continue
        declared = resource.get("hash", "").removeprefix("sha256:")
        if declared and sha256_of(path) != declared:
            problems.append(Problem(name, "hash-count", f"{resource['path']}: sha256 differs from the descriptor's"))
        if "bytes" in resource and path.stat().st_size != resource["bytes"]:
            problems.append(Problem(name, "byte-count", f"{resource['path']}: {path.stat().st_size} bytes, declared {resource['bytes']}"))
        fields = resource["schema"]["fields"]
        names = [f["name"] for f in fields]
        from_csv = resource.get("format") == "csv"
        try:
            if from_csv:
                if header_of(path) != names:
                    problems.append(Problem(name, "header-error", f"{resource['path']}: header {header_of(path)}, expected {names}"))
                    continue
                table = read_csv(path, names)
            else:
                table = pq.read_table(path)
                if table.column_names != names:
                    problems.append(Problem(name, "header-error", f"{resource['path']}: columns {table.column_names}, expected {names}"))
                    continue
                table = pa.Table.from_arrays([c.dictionary_decode() if pa.types.is_dictionary(c.type) else c
                                              for c in (table[n].combine_chunks() for n in names)], names=names)
        except (pa.ArrowInvalid, OSError, UnicodeDecodeError) as error:
            problems.append(Problem(name, "source-error", f"{resource['path']}: {error}"))
            continue
        typed_columns = []
        for field in fields:
            found = list(field_problems(name, field, table[field["name"]], from_csv))
            problems += found
            column = table[field["name"]]
            if from_csv and not found and field["type"] in TYPE_PATTERNS:
                column = typed(column, field["type"])
            typed_columns.append(column)
        tables[name] = pa.Table.from_arrays(typed_columns, names=names)
    for resource in resources:
        name = resource["name"]
        if name not in tables:
            continue
        table, schema = tables[name], resource["schema"]
        key = schema.get("primaryKey", [])
        if key:
            keys = key_strings(table, key)
            if keys.null_count:
                problems.append(Problem(name, "primary-key", f"{'/'.join(key)}: empty in some rows"))
            if dup := duplicates(keys):
                problems.append(Problem(name, "primary-key", f"{'/'.join(key)}: {dup} occur more than once"))
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"]["resource"] or name
            if target not in tables:
                problems.append(Problem(name, "foreign-key", f"{fk['fields']}: resource {target!r} cannot be read"))
                continue
            refs = key_strings(table, fk["fields"])
            known = key_strings(tables[target], fk["reference"]["fields"])
            missing = pc.and_(pc.is_valid(refs), pc.invert(pc.is_in(refs, value_set=pc.unique(known))))
            if pc.any(missing).as_py():
                shown = pc.unique(refs.filter(missing)).to_pylist()[:SHOWN_ERRORS]
                problems.append(Problem(name, "foreign-key", f"{'/'.join(fk['fields'])} = {shown} have no row in {target}"))
    by_name = {r["name"]: r for r in resources}
    for resource in resources:
        twin = by_name.get(resource["name"].removesuffix("-parquet")) if resource["name"].endswith("-parquet") else None
        if twin and resource["name"] in tables and twin["name"] in tables:
            if tables[resource["name"]].num_rows != tables[twin["name"]].num_rows:
                problems.append(Problem(resource["name"], "row-count", f"{tables[resource['name']].num_rows} rows, "
                                        f"{twin['path']} has {tables[twin['name']].num_rows}"))
    return problems
