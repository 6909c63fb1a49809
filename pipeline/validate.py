"""Stage 4, validate: every record against its JSON Schema, then keys and foreign keys.

Nothing is written before this passes. A failure names the resource, the record, the rule it
breaks and the raw source line, so a person can find the text that produced it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import fastjsonschema

from pipeline.errors import ValidationFailure
from pipeline.schema import batch_check, record_schema, resource_names, validator


def where(record: Mapping, source_of: Mapping[str, str]) -> str:
    """`file:line` of a record, through its document."""
    source = source_of.get(record.get("document_id", ""), "")
    line = record.get("line") or record.get("line_start")
    if not source and "measure_id" in record:
        source = source_of.get(str(record["measure_id"]).rsplit("-m", 1)[0], "")
    return f"{source}:{line}" if source else f"line {line}"


def validate_records(name: str, records: Iterable[Mapping], source_of: Mapping[str, str]) -> None:
    """Every record against its schema: a batch the column-by-column check finds certainly
    valid is done; otherwise each record goes through the compiled validator, which names the
    first broken one."""
    records = records if isinstance(records, list) else list(records)
    if batch_check(name)(records):
        return
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


def key_values(records: list[Mapping], fields: list[str] | tuple[str, ...]) -> list:
    """The key of each record: the value itself for a one-field key, else a tuple."""
    if len(fields) == 1:
        field = fields[0]
        return [r[field] for r in records]
    return [tuple(r[f] for f in fields) for r in records]


def is_set(key) -> bool:
    return all(part is not None for part in key) if isinstance(key, tuple) else key is not None


class KeyIndex:
    """Primary keys and foreign-key values of every table, gathered batch by batch.

    Duplicates are refused as they arrive; references are checked once everything is in, with
    set look-ups, so the cost grows linearly with the rows.
    """

    def __init__(self) -> None:
        self.keys: dict[str, set] = {name: set() for name in resource_names()}
        self.references: dict[tuple[str, tuple[str, ...], str], set] = {}

    def add(self, name: str, records: list[Mapping]) -> None:
        schema = record_schema(name)
        values = key_values(records, schema["primaryKey"])
        seen = self.keys[name]
        if len(set(values)) != len(values) or not seen.isdisjoint(values):
            duplicate = next(v for i, v in enumerate(values) if v in seen or v in values[:i])
            raise ValidationFailure(f"{name}: duplicate primary key {duplicate}")
        seen.update(values)
        for fk in schema["foreignKeys"]:
            fields = tuple(fk["fields"])
            refs = set(key_values(records, fields))
            if len(fields) == 1:
                refs.discard(None)
            else:
                refs = {r for r in refs if is_set(r)}
            self.references.setdefault((name, fields, fk["reference"]["resource"]), set()).update(refs)

    def check(self) -> None:
        for (name, fields, target), values in self.references.items():
            missing = values - self.keys[target]
            if missing:
                raise ValidationFailure(
                    f"{name}: {'/'.join(fields)} = {min(missing)} has no row in {target}"
                    + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
                )


def check_keys(tables: Mapping[str, list[Mapping]]) -> None:
    """Unique primary keys and resolvable foreign keys of whole tables."""
    index = KeyIndex()
    for name in resource_names():
        index.add(name, list(tables.get(name, [])))
    index.check()


def validate_file_records(rows: Mapping[str, list[Mapping]], source_file: str) -> None:
    """Every record one file contributes, against its schema (run in the worker)."""
    source_of = {d["document_id"]: source_file for d in rows.get("documents", [])}
    for name, records in rows.items():
        validate_records(name, records, source_of)
