"""The extractor-by-extractor reading of classify against the item-by-item one (hypothesis).

classify_document reads a document's items extractor by extractor (amounts and targets of
every item, then their agencies, then their measure rows) and classify_file classes the leaves
of all its documents at the end, instead of reading item by item; what they record must be
what the item-by-item reading records, in the same order: an item's target warnings before the
warnings of the bodies its clauses name first.
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import classify as c
from pipeline.classify import classify_file
from pipeline.clean import clean_lines
from pipeline.segment import segment_file

NUMERALS = "一二三四五六七八九十"
# Items of my own wording: instrument cues, money, a goal, clauses naming known and unknown
# bodies, and sub-items (a parent's class comes from its children's).
PHRASES = (
    "鼓励企业加大研发投入，给予100万元奖励。",
    "加强统筹，建立协调机制。（省财政厅牵头，省商务厅配合）",
    "到2025年，全省高新技术企业达到500家。",
    "落实税收优惠政策，减免企业所得税。（省新设甲局牵头）",
    "到2025年，的80%。",
    "建设公共服务平台。\n（一）培育30家示范企业。\n（二）设立专项资金2亿元。",
)
# Bodies no registry lists (every one is warned about once, where it is first met).
UNKNOWN_BODIES = ("省新设甲局", "省新设乙局", "省新设丙局")
HEAD = "江西省人民政府办公厅关于测试工作的实施意见\n赣府厅发〔2020〕1号\n各市、县（区）人民政府，省政府各部门：\n"
TAIL = "江西省人民政府办公厅\n2020年3月1日\n"

# An item: whether it sets a goal whose indicator cannot be read (a target warning), and the
# bodies its clause names (lead first).
ITEMS = st.tuples(st.booleans(), st.lists(st.sampled_from(UNKNOWN_BODIES), max_size=2, unique=True))


def item_text(goal: bool, bodies: list[str]) -> str:
    text = "到2025年，的80%。" if goal else "加强统筹。"
    if bodies:
        clause = f"{bodies[0]}牵头" + (f"，{'、'.join(bodies[1:])}配合" if bodies[1:] else "")
        text += f"（{clause}）"
    return text


def expected_warnings(items: list[tuple[bool, list[str]]]) -> list[str]:
    """The plain definition: item by item, its target warning, then a warning for each body
    of its clause not met before."""
    found, met = [], set()
    for line, (goal, bodies) in enumerate(items, start=4):  # the items start on line 4
        if goal:
            found.append(f"order.txt:{line}: target “的80%”: no indicator could be read: the clause stands for it")
        for body in bodies:
            if body not in met:
                met.add(body)
                found.append(f"agency not in the registry: 江西{body} (provincial, 江西省); "
                             "add it to pipeline/lexicons/agencies.csv (see README-agencies.md)")
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(ITEMS, min_size=1, max_size=6))
def test_warnings_come_item_by_item_targets_before_bodies(items):
    body = "".join(f"{NUMERALS[i]}、{item_text(*item)}\n" for i, item in enumerate(items))
    text = HEAD + body + TAIL
    records = classify_file(segment_file(clean_lines(text), text.split("\n")), "order.txt", "0" * 64)
    assert records.warnings == expected_warnings(items)
    # and every item's rows are there, in item order
    assert [row["measure_id"] for row in records.rows["measures"]] == [
        f"order-d01-m{i + 1:04d}" for i in range(len(items))]
    agency_rows = [row["mention"] for row in records.rows["measure_agencies"]]
    assert agency_rows == [body for _, bodies in items for body in bodies]


def item_by_item(docs, source_file: str) -> c.FileRecords:
    """The plain definition: classify_file as it read every item through all extractors in
    turn (amounts, targets, agencies, class, measure row), one document after the other."""
    out = c.FileRecords(rows={name: [] for name in ("documents", "measures", "amounts", "targets",
                                                    "measure_agencies")})
    source = c.Source(source_file, "0" * 64, "txt", ())
    doc_ids = [f"{c.id_prefix(source_file)}-d{doc.ordinal + 1:02d}" for doc in docs]
    for doc in docs:
        doc_id = doc_ids[doc.ordinal]
        out.rows["documents"].append(c.document_row(doc, doc_ids, source))
        if doc.title is None:
            out.warnings.append(f"{source_file}:{doc.line_start}: a document without a title (fragment)")
        items = doc.items
        measure_ids = [f"{doc_id}-m{item.ordinal + 1:04d}" for item in items]
        children: dict[int, list[int]] = {}
        for item in items:
            if item.label is not None and item.parent is not None:
                children.setdefault(item.parent, []).append(item.ordinal)
        work_report = c.is_work_report(doc.title, c.opening_text(items))
        doc_year = c.report_year(doc, work_report)
        reports = doc.kind == "article"
        rule, leaf_classes, rows = None, {}, []
        for item, measure_id, path, frame, context in zip(
                items, measure_ids, c.measure_paths(items), c.section_frames(items, doc_year, work_report),
                c.item_contexts(items, doc.title)):
            text = item.body.text
            separated = c.with_breaks(text, item.breaks)
            timeline = c.item_timeline(separated, doc_year, frame, reports)
            found = c.extract_amounts(separated, timeline=timeline, reports=reports)
            amounts = [c.unbreak(m, item.breaks) for m in found]
            for mention in amounts:
                number = sum(r["document_id"] == doc_id for r in out.rows["amounts"]) + 1
                out.rows["amounts"].append(c.amount_row(mention, f"{doc_id}-a{number:04d}", doc_id, measure_id, item))
            for mention in c.extract_targets(separated, timeline=timeline, amounts=found, reports=reports):
                mention = c.unbreak(mention, item.breaks)
                number = sum(r["document_id"] == doc_id for r in out.rows["targets"]) + 1
                row = c.target_row(mention, f"{doc_id}-t{number:04d}", doc_id, measure_id, item)
                out.rows["targets"].append(row)
                if mention.get("warning"):
                    out.warnings.append(f"{source_file}:{row['line']}: target “{row['text']}”: {mention['warning']}")
            rule = c.add_clause_agencies(item, measure_id, doc, rule, out)
            if item.ordinal not in children:
                leaf_classes[item.ordinal] = c.classify_instrument(item.heading, text, amounts, context)
            parent_id = measure_ids[item.parent] if item.parent is not None else None
            rows.append(c.measure_row(item, measure_id, doc_id, parent_id, path, item.ordinal not in children,
                                      source))
        classes = c.instrument_classes(items, children, leaf_classes)
        for row, item in zip(rows, items):
            row["instrument"], row["instrument_subtype"], row["instrument_evidence"] = classes[item.ordinal]
        out.rows["measures"].extend(rows)
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=5), min_size=1, max_size=3))
def test_a_file_records_what_the_item_by_item_reading_records(documents):
    text = "".join(HEAD.replace("1号", f"{number}号") + "".join(
        f"{NUMERALS[i]}、{phrase}\n" for i, phrase in enumerate(phrases)) + TAIL
        for number, phrases in enumerate(documents, start=1))
    docs = segment_file(clean_lines(text), text.split("\n"))
    assert len(docs) == len(documents)
    assert classify_file(docs, "plan.txt", "0" * 64) == item_by_item(docs, "plan.txt")
