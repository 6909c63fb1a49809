"""Stage 4, validate: every record against its JSON Schema, then keys and foreign keys.

Nothing is written before this passes. A failure names the resource, the record, the rule it
breaks and the raw source line, so a person can find the text that produced it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import itemgetter

import fastjsonschema

from pipeline.errors import ValidationFailure
from pipeline.schema import batch_check, record_schema, validator, value_positions


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


def key_values(name: str, rows: list[tuple], fields: list[str] | tuple[str, ...]) -> list:
    """The key of each row of values: the value itself for a one-field key, else a tuple."""
    return list(map(value_positions(name, tuple(fields)), rows))


def is_set(key) -> bool:
    return all(part is not None for part in key) if isinstance(key, tuple) else key is not None


# The tables merged from every file into one for the build (build.AgencyTable); every other
# table's rows belong to one file.
SHARED_TABLES = ("agencies",)
# Every id of a file's rows is the file's id prefix (classify.id_prefix) followed by one of these
# suffixes, which hold `-d` only at their start: an id names its file unambiguously, so rows of
# two files (whose prefixes differ: discover_seeds refuses twins) can never share a key.
FILE_ID_SUFFIX = re.compile(r"-d\d+(?:-[mat]\d+)?")
Reference = tuple[str, tuple[str, ...], str]  # (table, its fields, the table they refer to)


def references(name: str, rows: list[tuple]) -> Iterator[tuple[Reference, set]]:
    """Each foreign key of the table with the set values it takes in these rows."""
    for fk in record_schema(name)["foreignKeys"]:
        fields = tuple(fk["fields"])
        refs = set(key_values(name, rows, fields))
        if len(fields) == 1:
            refs.discard(None)
        else:
            refs = {r for r in refs if is_set(r)}
        yield (name, fields, fk["reference"]["resource"]), refs


def all_match(pattern: re.Pattern, values: Iterable) -> bool:
    """Every value a string the pattern matches whole."""
    try:
        return all(map(pattern.fullmatch, values))
    except TypeError:  # a value that is not a string
        return False


def refuse_duplicates(name: str, values: list, unique: set, seen: set) -> None:
    """No key twice among the values (`unique` is their set) nor among those already `seen`."""
    if len(unique) != len(values) or not seen.isdisjoint(unique):
        earlier = set(seen)
        duplicate = next(v for v in values if v in earlier or earlier.add(v))
        raise ValidationFailure(f"{name}: duplicate primary key {duplicate}")


def missing_rows(reference: Reference, missing: set) -> ValidationFailure:
    name, fields, target = reference
    return ValidationFailure(
        f"{name}: {'/'.join(fields)} = {min(missing)} has no row in {target}"
        + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))


class KeyIndex:
    """Primary keys unique and foreign keys resolved, file by file, in memory that does not grow
    with the corpus.

    A file's rows are checked on their own (`add_file`): their keys are ids of that file (they
    start with its id prefix), unique among its rows, and what they refer to is among its rows.
    Only two things outlive a file: the references into the shared tables (agencies, a few
    thousand at most), checked against them once they are made (`add_shared`, `check`); and
    references to another file's rows, which this pipeline never makes, kept to be looked up in
    the written files at the end (`check_elsewhere`).
    """

    def __init__(self) -> None:
        self.shared_keys: dict[str, set] = {name: set() for name in SHARED_TABLES}
        self.shared_refs: dict[Reference, set] = {}
        self.elsewhere: dict[Reference, set] = {}

    def add_file(self, prefix: str, rows: Mapping[str, list[tuple]]) -> None:
        """A file's rows of values (`schema.record_values`), by table."""
        keys: dict[str, set] = {}
        owned = re.compile(re.escape(prefix) + FILE_ID_SUFFIX.pattern)
        for name, records in rows.items():
            key = record_schema(name)["primaryKey"]
            values = key_values(name, records, key)
            unique = keys[name] = set(values)
            idents = unique if len(key) == 1 else set(map(itemgetter(0), unique))
            if not all_match(owned, idents):
                ident = next(i for i in idents if not (isinstance(i, str) and owned.fullmatch(i)))
                raise ValidationFailure(f"{name}: {key[0]} {ident} is not an id of the file's rows "
                                        f"(`{prefix}-d…`)")
            refuse_duplicates(name, values, unique, set())
        for name, records in rows.items():
            for reference, refs in references(name, records):
                target = reference[2]
                if target in self.shared_keys:
                    self.shared_refs.setdefault(reference, set()).update(refs)
                elif missing := refs - keys.get(target, set()):
                    self.elsewhere.setdefault(reference, set()).update(missing)

    def add_shared(self, name: str, records: list[tuple]) -> None:
        values = key_values(name, records, record_schema(name)["primaryKey"])
        seen = self.shared_keys[name]
        refuse_duplicates(name, values, set(values), seen)
        seen.update(values)
        for reference, refs in references(name, records):
            self.shared_refs.setdefault(reference, set()).update(refs)

    def check(self) -> None:
        """References into the shared tables, once these are complete."""
        for reference, values in self.shared_refs.items():
            if missing := values - self.shared_keys[reference[2]]:
                raise missing_rows(reference, missing)

    def check_elsewhere(self, keys_of: Callable[[str, tuple[str, ...]], Iterable]) -> None:
        """References to other files' rows, looked up in the whole tables as written
        (`keys_of(table, fields)` gives the key of every row, in one pass)."""
        for reference, values in self.elsewhere.items():
            name, fields, target = reference
            missing = set(values)
            for key in keys_of(target, tuple(record_schema(target)["primaryKey"])):
                missing.discard(key)
            if missing:
                raise missing_rows(reference, missing)


def validate_file_records(rows: Mapping[str, list[Mapping]], source_file: str) -> None:
    """Every record one file contributes, against its schema (run in the worker)."""
    source_of = {d["document_id"]: source_file for d in rows.get("documents", [])}
    for name, records in rows.items():
        validate_records(name, records, source_of)
