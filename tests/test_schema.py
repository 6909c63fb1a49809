"""The JSON Schemas are the single source: every other schema is generated from them."""
from __future__ import annotations

import functools
import math

import pyarrow as pa
import pytest
from conftest import SEEDS, seed_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import ValidationFailure
from pipeline.publish import arrow_table
from pipeline.schema import (
    arrow_schema,
    batch_check,
    columns,
    record_schema,
    record_values,
    resource_names,
    table_schema,
    validator,
)


def test_every_contract_resource_has_a_schema():
    assert resource_names() == ["documents", "measures", "amounts", "targets", "agencies", "measure_agencies"]


def test_contract_columns_are_all_there():
    contract = {
        "documents": ["document_id", "source_file", "source_sha256", "title", "doc_number", "issuer",
                      "issue_date", "parent_document_id", "kind", "is_draft", "line_start", "line_end"],
        "measures": ["measure_id", "document_id", "parent_measure_id", "label", "path", "level", "is_leaf",
                     "heading", "text", "deadline", "instrument", "instrument_subtype", "line_start", "line_end"],
        "amounts": ["amount_id", "document_id", "measure_id", "text", "min_cny", "max_cny", "qualifier",
                    "period", "per", "role", "line"],
        "targets": ["target_id", "document_id", "measure_id", "text", "indicator", "year", "value",
                    "min_value", "max_value", "unit", "comparator", "change", "line"],
        "agencies": ["agency_id", "name", "short_names", "level", "jurisdiction", "successor_id"],
        "measure_agencies": ["measure_id", "clause", "position", "agency_id", "mention", "role", "line"],
    }
    for name, expected in contract.items():
        assert set(expected) <= set(columns(name)), name


def test_table_schema_is_generated_field_by_field():
    schema = table_schema("amounts")
    fields = {f["name"]: f for f in schema["fields"]}
    assert [f["name"] for f in schema["fields"]] == columns("amounts")
    assert fields["min_cny"]["type"] == "number"
    assert fields["qualifier"]["categories"] == ["exact", "max", "min", "approx", "range"]
    assert fields["period"]["constraints"].get("required") is None  # nullable
    assert fields["amount_id"]["constraints"]["required"] is True
    assert schema["primaryKey"] == ["amount_id"]
    assert {"fields": ["measure_id"], "reference": {"resource": "measures", "fields": ["measure_id"]}} in schema["foreignKeys"]


def test_arrow_schema_is_generated_with_types_and_nullability():
    schema = arrow_schema("documents")
    assert schema.field("issue_date").type == pa.date32()
    assert schema.field("is_draft").type == pa.bool_() and not schema.field("is_draft").nullable
    assert pa.types.is_dictionary(schema.field("kind").type)
    assert schema.names == columns("documents")


def test_descriptions_come_from_the_json_schema():
    prop = record_schema("targets")["properties"]["unit"]
    field = next(f for f in table_schema("targets")["fields"] if f["name"] == "unit")
    assert field["description"] == prop["description"]


def rows_of(name: str, records: list[dict]) -> list[tuple]:
    return [record_values(name)(record) for record in records]


def amount_record(**changes) -> dict:
    record = dict.fromkeys(columns("amounts"))
    record.update(amount_id="d-m0001-a01", document_id="d", measure_id="d-m0001", text="最高500万元",
                  min_cny=None, max_cny=5_000_000.0, qualifier="max", role="subsidy", line=3)
    return record | changes


def test_arrow_table_encodes_categories_against_the_whole_category_list():
    table = arrow_table("amounts", rows_of("amounts", [amount_record(), amount_record(amount_id="d-m0001-a02", qualifier="range")]))
    qualifier = table["qualifier"].combine_chunks()
    assert qualifier.dictionary.to_pylist() == ["exact", "max", "min", "approx", "range"]
    assert qualifier.indices.to_pylist() == [1, 4]
    assert table["max_cny"].to_pylist() == [5_000_000.0, 5_000_000.0]
    assert table.schema == arrow_schema("amounts")


def test_arrow_table_refuses_a_value_outside_the_categories():
    with pytest.raises(ValidationFailure, match="amounts.qualifier"):
        arrow_table("amounts", rows_of("amounts", [amount_record(qualifier="about")]))


def test_arrow_table_stores_iso_dates_as_dates():
    record = {c: None for c in columns("documents")} | {"issue_date": "2016-03-01"}
    table = arrow_table("documents", rows_of("documents", [record]))
    assert table.schema.field("issue_date").type == pa.date32()
    assert str(table["issue_date"][0]) == "2016-03-01"


@functools.cache
def seed_records() -> dict[str, list[dict]]:
    """Every record the seed 003 gives, agencies included, as the build validates them."""
    from pipeline.build import AgencyTable, process_file

    result = process_file(str(seed_path("003")), str(SEEDS))
    agencies = AgencyTable()
    agencies.add(result.records.agencies)
    return {**result.rows(), "agencies": agencies.rows()}


def test_the_batch_check_passes_the_records_of_a_real_text():
    # Else every batch would go through the per-record validator, correct but slow.
    for name, records in seed_records().items():
        assert records and batch_check(name)(records), name


def test_a_batch_with_a_broken_record_is_never_passed_by_the_batch_check():
    records = seed_records()["amounts"]
    for change in ({"role": "grant"}, {"line": 0}, {"currency": "cny"}, {"amount_id": "a b"},
                   {"amount_id": "a-1\n"}, {"currency": "CNY\n"},  # a schema's `$` ends the string
                   {"text": ""}, {"text": Text("x")}, {"min_value": True}, {"line": 3.0}, {"extra": 1}):
        broken = [*records[:-1], {**records[-1], **change}]
        assert not batch_check("amounts")(broken), change
    assert not batch_check("amounts")([*records[:-1], {k: v for k, v in records[-1].items() if k != "per"}])


class Text(str):
    """A str subclass: a validator with isinstance() takes it, an exact-type check does not."""


# Values at the edges of the rules: wrong types, int-valued floats, NaN, bounds, empty and
# trailing-newline strings (`$` ends a string before its last newline in Python), enum values.
EDGE_VALUES = st.sampled_from([
    None, True, False, 0, 1, -1, 2**70, 0.0, 1.0, 1.5, -0.5, math.nan, math.inf, -math.inf,
    "", "a", "a-1", "a 1", "a-1\n", "CNY", "CNY\n", "cny", "2020-01-01", "2020-01-01\n", "2020-1-1",
    "0" * 64, "lead", "subsidy", "supply", Text("a-1"), [], {},
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(resource_names()), data=st.data())
def test_the_batch_check_passes_only_what_the_validator_passes(name, data):
    """A batch the batch check calls valid holds no record the per-record validator refuses:
    records of a real text, some values replaced by edge values, keys dropped or added."""
    originals = seed_records()[name][:3]
    records = []
    for record in originals:
        record = dict(record)
        for column in data.draw(st.lists(st.sampled_from(sorted(record)), max_size=3)):
            record[column] = data.draw(EDGE_VALUES)
        if data.draw(st.integers(0, 10)) == 0:
            record.pop(data.draw(st.sampled_from(sorted(record))))
        if data.draw(st.integers(0, 10)) == 0:
            record["extra"] = 1
        records.append(record)
    if batch_check(name)(records):
        for record in records:
            validator(name)(record)  # raises if the batch check passed a broken record
