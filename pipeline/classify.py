"""Stage 3, classify: documents and items → records of every resource.

Each record is a plain dict whose keys are the columns of its JSON Schema. Ids depend only on
the source file and positions inside it, so adding or editing another seed changes nothing here.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field

from pipeline.clean import Paragraph
from pipeline.extract.agencies import (
    assign_roles,
    context_of,
    find_clauses,
    resolved,
    running_rules,
    split_names,
)
from pipeline.extract.amounts import extract_amounts
from pipeline.extract.deadlines import stated_deadline
from pipeline.extract.instruments import aggregate_instrument, classify_instrument
from pipeline.extract.targets import extract_targets, stated_year
from pipeline.extract.task_table import parse_task_table
from pipeline.extract.timeframe import (
    Frame,
    is_work_report,
    item_timeline,
    named_year,
    section_frame,
)
from pipeline.segment import Document, Item

REGISTRY_FILE = "pipeline/lexicons/agencies.csv"
SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
Instrument = tuple[str | None, str | None, str | None]  # (instrument, subtype, evidence)


@dataclass
class UnclassedMeasures:
    """A document's measure rows before their instrument columns are filled: its items, the
    children of each parent, and each leaf's (ordinal, heading, text, amounts, context)."""

    rows: list[dict]
    items: list[Item]
    children: dict[int, list[int]]
    leaves: list[tuple[int, str | None, str, list[dict], str]]


@dataclass
class FileRecords:
    """Everything one seed file contributes to the package."""

    rows: dict[str, list[dict]] = field(default_factory=dict)
    agencies: dict[str, dict] = field(default_factory=dict)  # agency_id → agency row
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """Where a file's records come from: its path in the seed folder, its bytes' sha256, the
    format it was read as, and for a PDF the page of each line of the reader's text."""

    file: str
    sha256: str
    source_format: str = "txt"
    line_pages: tuple[int, ...] = ()

    def pages(self, first_line: int, last_line: int) -> tuple[int | None, int | None]:
        if not self.line_pages:
            return None, None
        last = len(self.line_pages)
        return self.line_pages[min(first_line, last) - 1], self.line_pages[min(last_line, last) - 1]


def id_prefix(source_file: str) -> str:
    """The file's path in the seed folder as an id: a `.txt` file's stem (`003_b7f4ec8c69ce3500`),
    the name with its extension for other formats (`plan.pdf`), folders joined by `.`
    (`2024.plan.pdf`); a short hash of the path when it holds other characters (spaces, 汉字 …)."""
    stem = (source_file.removesuffix(".txt") if source_file.endswith(".txt") else source_file).replace("/", ".")
    if SAFE_ID.match(stem):
        return stem
    return "f" + hashlib.sha1(source_file.encode("utf-8")).hexdigest()[:12]


def document_year(doc: Document) -> int | None:
    if doc.issue_date:
        return int(doc.issue_date[:4])
    if doc.doc_number and (m := re.search(r"〔(\d{4})〕", doc.doc_number)):
        return int(m.group(1))
    return None


def document_row(doc: Document, doc_ids: list[str], source: Source) -> dict:
    page_start, page_end = source.pages(doc.line_start, doc.line_end)
    return {
        "document_id": doc_ids[doc.ordinal],
        "source_file": source.file,
        "source_format": source.source_format,
        "source_sha256": source.sha256,
        "title": doc.title,
        "doc_number": doc.doc_number,
        "issuer": doc.issuer,
        "issue_date": doc.issue_date,
        "parent_document_id": doc_ids[doc.parent] if doc.parent is not None else None,
        "kind": doc.kind,
        "is_draft": doc.is_draft,
        "jurisdiction": doc.jurisdiction,
        "line_start": doc.line_start,
        "line_end": doc.line_end,
        "page_start": page_start,
        "page_end": page_end,
    }


def table_items(doc: Document) -> list[Item]:
    """A responsibility table's rows as level-1 items, each carrying its rebuilt cells."""
    items = []
    for row in parse_task_table(doc.table_lines):
        # The row's span runs from its 序号 to its last cell; the task text starts the row.
        offsets = (0, len(row["task"])) if row["line_end"] != row["line_start"] else (0,)
        lines = (row["line_start"], row["line_end"])[: len(offsets)]
        body = Paragraph(row["task"], offsets, lines, False, False)
        items.append(Item(len(items), row["label"], "table", 1, None, None, body,
                          deadline=row["deadline"], table_row=row))
    return items


def measure_paths(items: list[Item]) -> list[str]:
    paths: list[str] = []
    unnumbered: dict[int | None, int] = {}
    for item in items:
        prefix = paths[item.parent] + "/" if item.parent is not None else ""
        if item.label is None:
            unnumbered[item.parent] = unnumbered.get(item.parent, 0) + 1
            paths.append(f"{prefix}¶{unnumbered[item.parent]}")
        else:
            unnumbered.pop(item.ordinal, None)
            paths.append(prefix + item.label)
    return paths


HEADING_PARAGRAPH_MAX = 30  # a first paragraph this short, without a sentence end, is a heading
OPENING_ITEMS = 30  # how many items before the first numbered one may hold a report's address


def heading_text(item: Item, work_report: bool) -> str:
    """The item's heading; else its first paragraph when that is as short as a heading
    (`2025年工作回顾` printed on a line of its own, unnumbered); else, in a work report, whose
    section headings a reflowed text may run into the first sentence, the opening words."""
    if item.heading:
        return item.heading
    first = item.body.text[: item.breaks[0]] if item.breaks else item.body.text
    if len(first) <= HEADING_PARAGRAPH_MAX and not any(mark in first[:-1] for mark in "。；;！？!?"):
        return first
    if not work_report:
        return ""
    return re.split(r"[，,。；;：:！？!?]", first, maxsplit=1)[0][:HEADING_PARAGRAPH_MAX]


def section_frames(items: list[Item], doc_year: int | None, work_report: bool) -> list[Frame | None]:
    """Per item, the frame its text starts from: what an enclosing item hands down (its section
    time, `2026年工作安排`, or a deadline it states once for everything under it, `到2025年`), else
    what its own heading says, else what the last unnumbered heading paragraph before it under
    the same parent says (`2025年工作回顾` printed on a line of its own)."""
    passed_down: dict[int, Frame | None] = {}  # what each item with children hands to them
    parents = {item.parent for item in items}
    frames: list[Frame | None] = []
    since_heading: dict[int | None, Frame] = {}  # parent → frame of its last heading paragraph
    for item in items:
        from_parent = passed_down[item.parent] if item.parent is not None else None
        own = section_frame(heading_text(item, work_report), doc_year, work_report)
        if own is not None and item.label is None and not item.breaks:
            since_heading[item.parent] = own
        start = from_parent or own or since_heading.get(item.parent)
        frames.append(start)
        if item.ordinal in parents:  # only an item's children read what it hands down
            deadline = None if start else stated_year(item.body.text)
            passed_down[item.ordinal] = start or (Frame("goal", deadline) if deadline is not None else None)
    return frames


def report_year(doc: Document, work_report: bool) -> int | None:
    """The year a document speaks from: its date or 文号, else a work report's title year."""
    year = document_year(doc)
    if year is None and work_report and doc.title:
        year = named_year(doc.title)
    return year


def opening_text(items: list[Item]) -> str:
    opening = []
    for item in items[:OPENING_ITEMS]:
        if item.label is not None:
            break
        opening.append(item.body.text)
    return "".join(opening)


def item_contexts(items: list[Item], title: str | None) -> list[str]:
    """Per item, the headings it stands under, one a line: its notes or glossary section (注：,
    名词解释), its enclosing items' headings from the nearest out, and its document's title (an
    annex titled 名词解释)."""
    contexts = []
    for item in items:
        lines = [item.section] if item.section else []
        parent = item.parent
        while parent is not None:
            if items[parent].heading:
                lines.append(items[parent].heading)
            parent = items[parent].parent
        contexts.append("\n".join(lines + [title] if title else lines))
    return contexts


def with_breaks(text: str, breaks: tuple[int, ...]) -> str:
    """The item text with a newline at each paragraph break, as the extractors expect."""
    if not breaks:
        return text
    cuts = (0, *breaks, len(text))
    return "\n".join(text[a:b] for a, b in zip(cuts, cuts[1:]))


def unbreak(mention: dict, breaks: tuple[int, ...]) -> dict:
    """Map a mention's offsets from the newline-separated text back to the stored text."""
    if not breaks:
        return mention
    inserted = [b + k for k, b in enumerate(breaks)]  # positions of the newlines
    start = mention["start"] - bisect.bisect_right(inserted, mention["start"] - 1)
    end = mention["end"] - bisect.bisect_right(inserted, mention["end"] - 1)
    return {**mention, "start": start, "end": end}


def classify_document(doc: Document, doc_ids: list[str], source: Source, out: FileRecords) -> UnclassedMeasures:
    """The document's rows added to `out`; its measures' instrument columns are filled by
    `add_instruments` from what is returned."""
    source_file = source.file
    doc_id = doc_ids[doc.ordinal]
    out.rows["documents"].append(document_row(doc, doc_ids, source))
    if doc.title is None:
        out.warnings.append(f"{source_file}:{doc.line_start}: a document without a title (fragment)")
    items = doc.items
    if doc.table_lines:
        items = table_items(doc)
        if not items:
            out.warnings.append(f"{source_file}:{doc.line_start}: a table whose rows could not be read")
    measure_ids = [f"{doc_id}-m{item.ordinal + 1:04d}" for item in items]
    children: dict[int, list[int]] = {}
    for item in items:
        if item.label is not None and item.parent is not None:
            children.setdefault(item.parent, []).append(item.ordinal)
    work_report = is_work_report(doc.title, opening_text(items))
    doc_year = report_year(doc, work_report)
    reports = doc.kind == "article"
    rule_in_force: str | None = None
    first_amount, first_target = len(out.rows["amounts"]), len(out.rows["targets"])
    # Extractor by extractor over the items (amounts and targets, then agencies, then measure
    # rows; the leaves' classes after every document of the file), not item by item: each
    # one's automata and tables then stay in the CPU's caches (interleaved, the instrument cue
    # scans took about twice as long). Rows still come in item order, and an item's target
    # warnings before its agencies' warnings.
    leaves: list[tuple[int, str | None, str, list[dict], str]] = []
    rows = []
    target_warnings: list[list[str]] = []
    frames = section_frames(items, doc_year, work_report)
    for item, measure_id, frame, context in zip(items, measure_ids, frames, item_contexts(items, doc.title)):
        text = item.body.text
        separated = with_breaks(text, item.breaks)
        # One timeline and one amount reading serve both extractors (targets need the roles).
        timeline = item_timeline(separated, doc_year, frame, reports)
        found = extract_amounts(separated, timeline=timeline, reports=reports)
        amounts = [unbreak(m, item.breaks) for m in found]
        targets = [unbreak(m, item.breaks) for m in extract_targets(
            separated, timeline=timeline, amounts=found, reports=reports)]
        for mention in amounts:
            number = len(out.rows["amounts"]) - first_amount + 1
            out.rows["amounts"].append(amount_row(mention, f"{doc_id}-a{number:04d}", doc_id, measure_id, item))
        warnings = []
        for mention in targets:
            number = len(out.rows["targets"]) - first_target + 1
            row = target_row(mention, f"{doc_id}-t{number:04d}", doc_id, measure_id, item)
            out.rows["targets"].append(row)
            if mention.get("warning"):
                warnings.append(f"{source_file}:{row['line']}: target “{row['text']}”: {mention['warning']}")
        target_warnings.append(warnings)
        if item.ordinal not in children:
            leaves.append((item.ordinal, item.heading, text, amounts, context))
    for item, measure_id, warnings in zip(items, measure_ids, target_warnings):
        out.warnings += warnings  # before the item's agency warnings, as they are read
        if item.table_row is not None:
            add_table_agencies(item.table_row, measure_id, doc, out)
        else:
            rule_in_force = add_clause_agencies(item, measure_id, doc, rule_in_force, out)
    for item, measure_id, path in zip(items, measure_ids, measure_paths(items)):
        parent_id = measure_ids[item.parent] if item.parent is not None else None
        rows.append(measure_row(item, measure_id, doc_id, parent_id, path, item.ordinal not in children, source))
    out.rows["measures"].extend(rows)
    return UnclassedMeasures(rows, items, children, leaves)


def add_instruments(measures: UnclassedMeasures) -> None:
    """Fill the instrument columns of a document's measure rows."""
    leaf_classes = {ordinal: classify_instrument(heading, text, amounts, context)
                    for ordinal, heading, text, amounts, context in measures.leaves}
    classes = instrument_classes(measures.items, measures.children, leaf_classes)
    for row, item in zip(measures.rows, measures.items):
        row["instrument"], row["instrument_subtype"], row["instrument_evidence"] = classes[item.ordinal]


def instrument_classes(items: list[Item], children: dict[int, list[int]],
                       leaf_classes: dict[int, Instrument]) -> dict[int, Instrument]:
    """Every item's class: a leaf's own; a parent's, the class that dominates its children
    (computed bottom-up: children always come after their parent)."""
    classes = dict(leaf_classes)
    for item in reversed(items):
        if item.ordinal in children:
            classes[item.ordinal] = aggregate_instrument([classes[c] for c in children[item.ordinal]])
    return classes


def measure_row(item: Item, measure_id: str, doc_id: str, parent_id: str | None, path: str,
                is_leaf: bool, source: Source) -> dict:
    body = item.body
    text, line_start, line_end = body.text, body.line_numbers[0], body.line_numbers[-1]
    page_start, page_end = source.pages(line_start, line_end) if source.line_pages else (None, None)
    return {
        "measure_id": measure_id,
        "document_id": doc_id,
        "parent_measure_id": parent_id,
        "label": item.label,
        "path": path,
        "level": item.level,
        "is_leaf": is_leaf,
        "heading": item.heading,
        "text": text or None,  # an item printing only its label
        "deadline": item.deadline or stated_deadline(text),
        "instrument": None,
        "instrument_subtype": None,
        "instrument_evidence": None,
        "line_start": line_start,
        "line_end": line_end,
        "page_start": page_start,
        "page_end": page_end,
    }


def optional_float(value: float | None) -> float | None:
    return None if value is None else float(value)


def amount_row(mention: dict, amount_id: str, doc_id: str, measure_id: str, item: Item) -> dict:
    return {
        "amount_id": amount_id,
        "document_id": doc_id,
        "measure_id": measure_id,
        "text": mention["text"],
        "min_cny": optional_float(mention["min_cny"]),
        "max_cny": optional_float(mention["max_cny"]),
        "currency": mention["currency"],
        "min_value": float(mention["min_value"]),
        "max_value": float(mention["max_value"]),
        "qualifier": mention["qualifier"],
        "period": mention["period"],
        "per": mention["per"],
        "role": mention["role"],
        "credit": mention["credit"],
        "paired_with": mention["paired_with"],
        "line": item.body.line_at(mention["start"]),
    }


def target_row(mention: dict, target_id: str, doc_id: str, measure_id: str, item: Item) -> dict:
    value = mention["value"]
    return {
        "target_id": target_id,
        "document_id": doc_id,
        "measure_id": measure_id,
        "text": mention["text"],
        "indicator": mention["indicator"],
        "year": mention["year"],
        "value": float(value) if value is not None else None,
        "min_value": float(mention["min_value"]),
        "max_value": float(mention["max_value"]),
        "unit": mention["unit"],
        "comparator": mention["comparator"],
        "change": mention["change"],
        "line": item.body.line_at(mention["start"]),
    }


def register_agency(mention: str, context: tuple[str | None, str | None], out: FileRecords) -> str:
    """The id of the body `mention` names in a document read in `context` (`context_of`), the
    body added to the file's agencies when first met."""
    agency = resolved(mention, *context)
    agency_id = agency["agency_id"]
    known = out.agencies.get(agency_id)
    if known is None:
        known = out.agencies[agency_id] = {**agency, "met": set()}
        if not agency.get("known", True):
            # Worded by the body alone, so that the build lists it once however often it is met.
            out.warnings.append(f"agency not in the registry: {agency['name']} "
                                f"({agency['level']}, {agency['jurisdiction'] or 'no jurisdiction'}); "
                                f"add it to {REGISTRY_FILE} (see README-agencies.md)")
    known["met"].add(mention)
    return agency_id


def add_clause_agencies(item: Item, measure_id: str, doc: Document,
                        rule_in_force: str | None, out: FileRecords) -> str | None:
    """The item's responsibility clauses as rows; returns the lead rule in force after it
    (a rule stated with 下同, or in the running text, holds to the end of the document)."""
    separated = with_breaks(item.body.text, item.breaks)  # label lines end at paragraph breaks
    clauses = find_clauses(separated)
    if not clauses and "牵头" not in separated:
        return rule_in_force  # no clause, no rule stated (every rule names the lead): nothing changes
    roles, rule_in_force = assign_roles(clauses, rule_in_force, running_rules(separated, clauses))
    # Where a name starts in the stored text: `unbreak` of its start, the newlines' positions
    # computed once per item.
    inserted = [b + k for k, b in enumerate(item.breaks)]
    line_at, rows = item.body.line_at, out.rows["measure_agencies"]
    context = context_of(doc.jurisdiction, doc.issuer)
    for c, (clause, clause_roles) in enumerate(zip(clauses, roles), start=1):
        for p, (name, (mention, role)) in enumerate(zip(clause["names"], clause_roles), start=1):
            start = name["start"]
            line = line_at(start - bisect.bisect_right(inserted, start - 1) if inserted else start)
            rows.append({"measure_id": measure_id, "clause": c, "position": p,
                         "agency_id": register_agency(mention, context, out), "mention": mention,
                         "role": role, "duty": name["duty"], "line": line})
    return rule_in_force


def add_table_agencies(row: dict, measure_id: str, doc: Document, out: FileRecords) -> None:
    """A table row is one clause: its 责任单位 cell leads, its 配合落实部门 cell supports."""
    position = 0
    context = context_of(doc.jurisdiction, doc.issuer)
    rows = out.rows["measure_agencies"]
    for cell, role in (("lead", "lead"), ("support", "support")):
        line = row.get(f"{cell}_line") or row["line_start"]
        for name in split_names(row[cell] or ""):
            position += 1
            mention = name["mention"]
            rows.append({"measure_id": measure_id, "clause": 1, "position": position,
                         "agency_id": register_agency(mention, context, out), "mention": mention,
                         "role": role, "duty": None, "line": line})


def classify_file(docs: list[Document], source_file: str, sha256: str, source_format: str = "txt",
                  line_pages: tuple[int, ...] = ()) -> FileRecords:
    """Records of one file's documents; `source_format` and `line_pages` (the page of each line
    of a PDF's text) as the file's reader gave them."""
    out = FileRecords(rows={name: [] for name in ("documents", "measures", "amounts", "targets", "measure_agencies")})
    source = Source(source_file, sha256, source_format, line_pages)
    prefix = id_prefix(source_file)
    doc_ids = [f"{prefix}-d{doc.ordinal + 1:02d}" for doc in docs]
    for measures in [classify_document(doc, doc_ids, source, out) for doc in docs]:
        add_instruments(measures)
    return out
