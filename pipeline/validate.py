"""Stage 4, validate: every record against its JSON Schema, then keys and foreign keys.

Nothing is written before this passes. A failure names the resource, the record, the rule it
breaks and the raw source line, so a person can find the text that produced it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import fastjsonschema

from pipeline.errors import ValidationFailure
from pipeline.schema import record_schema, resource_names, validator


def where(record: Mapping, source_of: Mapping[str, str]) -> str:
    """`file:line` of a record, through its document."""
    source = source_of.get(record.get("document_id", ""), "")
    line = record.get("line") or record.get("line_start")
    if not source and "measure_id" in record:
        source = source_of.get(str(record["measure_id"]).rsplit("-m", 1)[0], "")
    return f"{source}:{line}" if source else f"line {line}"


def validate_records(name: str, records: Iterable[Mapping], source_of: Mapping[str, str]) -> None:
    check = validator(name)
    key = record_schema(name)["primaryKey"]
    for record in records:
        try:
            check(record)
        except fastjsonschema.JsonSchemaValueException as error:
            ident = "/".join(str(record.get(k)) for k in key)
            raise ValidationFailure(
                f"{name} {ident}: {error.message} (rule: {error.rule} {error.rule_definition!r}; "
                f"source {where(record, source_of)})"
            ) from None


def check_keys(tables: Mapping[str, list[Mapping]]) -> None:
    """Unique primary keys and resolvable foreign keys, with set look-ups (linear cost)."""
    keys: dict[str, set[tuple]] = {}
    for name in resource_names():
        fields = record_schema(name)["primaryKey"]
        seen: set[tuple] = set()
        for record in tables.get(name, []):
            value = tuple(record[f] for f in fields)
            if value in seen:
                raise ValidationFailure(f"{name}: duplicate primary key {value}")
            seen.add(value)
        keys[name] = seen
    for name in resource_names():
        for fk in record_schema(name)["foreignKeys"]:
            target = keys[fk["reference"]["resource"]]
            fields = fk["fields"]
            for record in tables.get(name, []):
                value = tuple(record[f] for f in fields)
                if any(v is None for v in value):
                    continue
                if value not in target:
                    raise ValidationFailure(
                        f"{name}: {'/'.join(fields)} = {value} has no row in "
                        f"{fk['reference']['resource']}"
                    )


def validate_tables(tables: Mapping[str, list[Mapping]]) -> None:
    source_of = {d["document_id"]: d["source_file"] for d in tables.get("documents", [])}
    for name in resource_names():
        validate_records(name, tables.get(name, []), source_of)
    check_keys(tables)
