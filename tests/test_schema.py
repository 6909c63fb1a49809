"""The JSON Schemas are the single source: every other schema is generated from them."""
from __future__ import annotations

import pyarrow as pa
import pytest

from pipeline.errors import ValidationFailure
from pipeline.publish import arrow_table, record_values
from pipeline.schema import arrow_schema, columns, record_schema, resource_names, table_schema


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
