"""Keys checked file by file (`validate.KeyIndex`): unique primary keys and resolvable foreign
keys without holding every row's key, so that the build's memory does not grow with the corpus."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.classify import id_prefix
from pipeline.errors import ValidationFailure
from pipeline.schema import columns
from pipeline.validate import FILE_ID_SUFFIX, KeyIndex

PREFIX = id_prefix("002_plan.txt")


def measure(number: int, document: int = 1, parent: str | None = None) -> dict:
    return {"measure_id": f"{PREFIX}-d{document:02d}-m{number:04d}", "document_id": f"{PREFIX}-d{document:02d}",
            "parent_measure_id": parent}


def values(name: str, records: list[dict]) -> list[tuple]:
    """Rows as the build hands them on: values in column order (columns not given are null)."""
    return [tuple(record.get(column) for column in columns(name)) for record in records]


def file_rows(**tables) -> dict:
    rows = {"documents": [{"document_id": f"{PREFIX}-d01", "parent_document_id": None}], "measures": [measure(1)]}
    return {name: values(name, records) for name, records in (rows | tables).items()}


def link(measure_id: str, agency_id: str = "ag-1", position: int = 1) -> dict:
    return {"measure_id": measure_id, "clause": 1, "position": position, "agency_id": agency_id}


def test_a_file_whose_rows_hold_each_other_passes():
    keys = KeyIndex()
    keys.add_file(PREFIX, file_rows(measures=[measure(1), measure(2, parent=f"{PREFIX}-d01-m0001")],
                                    measure_agencies=[link(f"{PREFIX}-d01-m0002")]))
    keys.add_shared("agencies", values("agencies", [{"agency_id": "ag-1", "successor_id": None}]))
    keys.check()
    keys.check_elsewhere(lambda name, fields: iter(()))


def test_a_duplicate_key_within_a_file_is_refused():
    with pytest.raises(ValidationFailure, match=rf"measures: duplicate primary key {PREFIX}-d01-m0001"):
        KeyIndex().add_file(PREFIX, file_rows(measures=[measure(1), measure(1)]))


def test_a_key_that_is_not_an_id_of_the_file_is_refused():
    """Two files cannot share a key only because each file's ids start with its own prefix."""
    stranger = {**measure(1), "measure_id": "003_other-d01-m0001"}
    with pytest.raises(ValidationFailure, match="003_other-d01-m0001 is not an id of the file's rows"):
        KeyIndex().add_file(PREFIX, file_rows(measures=[stranger]))


def test_a_reference_to_an_agency_that_is_not_in_the_table_is_refused():
    keys = KeyIndex()
    keys.add_file(PREFIX, file_rows(measure_agencies=[link(f"{PREFIX}-d01-m0001", "ag-404")]))
    keys.add_shared("agencies", values("agencies", [{"agency_id": "ag-1", "successor_id": None}]))
    with pytest.raises(ValidationFailure, match="measure_agencies: agency_id = ag-404 has no row in agencies"):
        keys.check()


def test_a_reference_outside_the_file_is_looked_up_in_the_written_table():
    """A document naming another file's document as its parent is not refused while that file
    may come later; at the end the written table decides."""
    keys = KeyIndex()
    keys.add_file(PREFIX, file_rows(documents=[
        {"document_id": f"{PREFIX}-d01", "parent_document_id": "003_other-d02"},
        {"document_id": f"{PREFIX}-d02", "parent_document_id": "003_other-d05"}]))
    written = {"documents": ["003_other-d02", "003_other-d05"]}
    keys.check_elsewhere(lambda name, fields: iter(written.get(name, [])))
    written["documents"].pop()
    with pytest.raises(ValidationFailure, match="parent_document_id = 003_other-d05 has no row in documents"):
        keys.check_elsewhere(lambda name, fields: iter(written.get(name, [])))


prefixes = st.from_regex(r"[A-Za-z0-9_.-]{1,12}", fullmatch=True)
suffixes = st.builds(lambda d, kind, n: f"-d{d:02d}" + (f"-{kind}{n:04d}" if kind else ""),
                     st.integers(1, 150), st.sampled_from(["", "m", "a", "t"]), st.integers(1, 20000))


@given(prefixes, prefixes, suffixes, suffixes)
def test_ids_of_two_files_never_meet(first, second, first_suffix, second_suffix):
    """The argument KeyIndex rests on: an id is its prefix and one suffix in one way only."""
    assert FILE_ID_SUFFIX.fullmatch(first_suffix) and FILE_ID_SUFFIX.fullmatch(second_suffix)
    if first != second:
        assert first + first_suffix != second + second_suffix


def test_written_keys_are_every_row_of_the_written_table(package):
    import csv

    from pipeline.build import written_keys

    with (package / "documents.csv").open(encoding="utf-8") as fh:
        expected = [row["document_id"] for row in csv.DictReader(fh)]
    assert list(written_keys(package, "documents", ("document_id",))) == expected


def test_a_key_that_is_not_a_string_is_refused():
    with pytest.raises(ValidationFailure, match="documents: document_id None is not an id"):
        KeyIndex().add_file(PREFIX, file_rows(documents=[{"document_id": None, "parent_document_id": None}]))


def test_a_kept_string_is_an_equal_copy():
    """Long-lived values are copied out of the unpickled result they came in (build.kept)."""
    from pipeline.build import kept

    for text in ("".join(["省财政厅", "牵头"]), "a\udcff.txt", "x" * 300):
        copy = kept(text)
        assert copy == text and (copy is not text or len(text) < 2)


def test_an_agency_given_twice_is_refused():
    keys = KeyIndex()
    keys.add_shared("agencies", values("agencies", [{"agency_id": "ag-1"}]))
    with pytest.raises(ValidationFailure, match="agencies: duplicate primary key ag-1"):
        keys.add_shared("agencies", values("agencies", [{"agency_id": "ag-2"}, {"agency_id": "ag-1"}]))
