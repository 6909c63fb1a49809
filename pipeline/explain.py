"""`python -m pipeline explain ID`: any row of the package, with the raw source lines it came from.

The source file is read again through the reader of its format (pipeline/readers), so the lines
shown are the lines the build numbered: the file's own for `.txt` and `.md`, the reader's text
for a web page, a Word file or a PDF (for a PDF, each page's first line is marked).

The id may be a document_id, measure_id, amount_id, target_id, agency_id, or
`MEASURE_ID/CLAUSE/POSITION` for a row of measure_agencies. The row is printed column by column,
then the raw lines of its seed file (a document's span, capped; a measure's span; the line of an
amount, target or agency mention ±1), with the mention highlighted: ANSI colour on a terminal,
`[[…]]` otherwise. The cleaned texts of the package have whitespace removed, so the mention is
searched in the raw lines with any whitespace (line breaks included) allowed between characters.
"""
from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import csvfiles
from pipeline.schema import record_schema, resource_names

MAX_LINES = 30
MAX_RUN_ON = 12  # more lines of text to look through for a mention that is not on its line
MENTION_SEPARATORS = "、，,；;"
ANSI_ON, ANSI_OFF = "\x1b[1;30;43m", "\x1b[0m"
BRACKET_ON, BRACKET_OFF = "[[", "]]"


class UnknownId(LookupError):
    """No row of the package has this id."""


@dataclass
class Found:
    table: str
    row: dict[str, str]
    related: list[tuple[str, dict[str, str]]] = field(default_factory=list)


def read_table(package: Path, name: str) -> list[dict[str, str]]:
    with (package / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csvfiles.dict_reader(fh))


def row_key(name: str, row: dict[str, str]) -> str:
    return "/".join(row[k] for k in record_schema(name)["primaryKey"])


def find_row(package: Path, row_id: str) -> Found:
    """The row whose primary key (joined by `/`) is `row_id`, in whichever table holds it."""
    if not (package / "datapackage.json").is_file():
        raise UnknownId(f"{package}: not a data package (no datapackage.json); use --package DIR")
    keys: list[str] = []
    for name in resource_names():
        for row in read_table(package, name):
            key = row_key(name, row)
            if key == row_id.strip():
                return Found(name, row)
            keys.append(key)
    close = difflib.get_close_matches(row_id, keys, n=3, cutoff=0.8)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UnknownId(f"no row with id {row_id!r} in any table of {package}{hint}")


def mention_pattern(mention: str) -> re.Pattern[str]:
    """`mention` in raw text: any whitespace, line breaks included, between its characters."""
    chars = [c for c in mention if not c.isspace()]
    return re.compile(r"\s*".join(re.escape(c) for c in chars))


def find_mention(text: str, mention: str, prefix_ok: bool = False, near: int = 0) -> tuple[int, int] | None:
    """Span of `mention` in `text`, the first one starting at or after offset `near` if any.

    An agency mention whose shared suffix was expanded (`成都市、绵阳市人民政府` gives
    `绵阳市人民政府`) is found by its longest prefix that stands before a separator.
    """
    if not mention or not mention.strip():
        return None

    def best(spans: list[tuple[int, int]]) -> tuple[int, int] | None:
        return next((s for s in spans if s[0] >= near), spans[0] if spans else None)

    if span := best([m.span() for m in mention_pattern(mention).finditer(text)]):
        return span
    if prefix_ok:
        for n in range(len(mention) - 1, 1, -1):
            spans = [m.span() for m in mention_pattern(mention[:n]).finditer(text)
                     if text[m.end():].lstrip()[:1] in tuple(MENTION_SEPARATORS)]
            if span := best(spans):
                return span
    return None


def source_span(table: str, row: dict[str, str], documents: dict[str, dict[str, str]],
                measures: dict[str, dict[str, str]]) -> tuple[dict[str, str], int, int]:
    """The document of a row and the raw lines (first, last) to show for it."""
    if table == "documents":
        return row, int(row["line_start"]), int(row["line_end"])
    if table == "measures":
        return documents[row["document_id"]], int(row["line_start"]), int(row["line_end"])
    if table == "measure_agencies":
        document = documents[measures[row["measure_id"]]["document_id"]]
    else:
        document = documents[row["document_id"]]
    line = int(row["line"])
    return document, line - 1, line + 1


def mention_of(table: str, row: dict[str, str]) -> list[str]:
    """What to highlight, most specific first."""
    if table == "documents":
        return [row["title"], row["doc_number"]]
    if table == "measures":
        return [row["heading"], row["text"][:24], row["label"]]
    if table in ("amounts", "targets"):
        return [row["text"]]
    if table == "measure_agencies":
        return [row["mention"]]
    return []


def source_reading(seeds: Path, document: dict[str, str]):
    """The seed read as the build read it (its lines and, for a PDF, their pages) and a warning
    if the file changed since."""
    from pipeline.readers import read_source

    path = seeds / document["source_file"]
    if not path.is_file():
        raise FileNotFoundError(f"{path}: seed file not found; use --seeds DIR")
    data = path.read_bytes()
    warning = None
    if hashlib.sha256(data).hexdigest() != document["source_sha256"]:
        warning = f"warning: {path} has changed since the package was built (sha256 differs)"
    return read_source(data, document["source_file"]), warning


def widen(lines: list[str], first: int, last: int) -> tuple[int, int]:
    """Grow first..last over blank lines, so that the lines around a mention hold text
    (seeds are often double-spaced: the line before and after are blank)."""
    first, last = max(first, 1), min(last, len(lines))
    while first > 1 and not lines[first - 1].strip():
        first -= 1
    while last < len(lines) and not lines[last - 1].strip():
        last += 1
    return first, last


def highlighted_lines(lines: list[str], first: int, last: int, mentions: list[str], color: bool,
                      prefix_ok: bool, max_lines: int, focus: int | None = None,
                      pages: tuple[int, ...] = ()) -> Iterator[str]:
    """Numbered lines first..last (capped at max_lines) with the first mention found marked;
    with `focus` (the row's line), an occurrence starting on that line is preferred; with
    `pages` (a PDF's page of each line), the page is named where it starts or changes."""
    last = min(last, len(lines))
    shown = list(range(max(first, 1), min(last, first + max_lines - 1) + 1))
    if not shown:
        yield f"(lines {first}–{last} are not in the file: it has {len(lines)} lines)"
        return
    window = "\n".join(lines[n - 1] for n in shown)
    near = sum(len(lines[n - 1]) + 1 for n in shown if focus and n < focus)
    span = None
    for mention in mentions:
        if mention and (span := find_mention(window, mention, prefix_ok, near)):
            break
    on, off = (ANSI_ON, ANSI_OFF) if color else (BRACKET_ON, BRACKET_OFF)
    offset = 0
    width = len(str(shown[-1])) if shown else 1
    for n in shown:
        if pages and n <= len(pages) and (n == shown[0] or pages[n - 1] != pages[n - 2]):
            yield f"{'':>{width}} ┄ page {pages[n - 1]}"
        text = lines[n - 1]
        start, end = offset, offset + len(text)
        offset = end + 1
        marked = text
        if span and span[0] < end + 1 and span[1] > start:
            a, b = max(span[0], start) - start, min(span[1], end) - start
            if b > a:
                marked = text[:a] + on + text[a:b] + off + text[b:]
        yield f"{n:>{width}} │ {marked}"
    if last > shown[-1]:
        yield f"{'':>{width}} … {last - shown[-1]} more lines, to line {last}"
    if mentions and any(mentions) and span is None:
        yield f"{'':>{width}}   (mention not found verbatim in these lines: {next(m for m in mentions if m)})"


def describe_row(found: Found) -> list[str]:
    width = max(len(k) for k in found.row)
    return [f"  {k:<{width}}  {v if v != '' else 'null'}" for k, v in found.row.items()]


def explain(row_id: str, package: Path, seeds: Path, color: bool = False,
            max_lines: int = MAX_LINES) -> str:
    """The text `python -m pipeline explain ID` prints."""
    found = find_row(package, row_id)
    documents = {r["document_id"]: r for r in read_table(package, "documents")}
    measures = {r["measure_id"]: r for r in read_table(package, "measures")}
    out = [f"{found.table} {row_id}", *describe_row(found)]
    if found.table == "agencies":
        out += agency_context(found.row, package, seeds, documents, measures, color)
        return "\n".join(out) + "\n"
    document, first, last = source_span(found.table, found.row, documents, measures)
    out += source_block(found.table, found.row, document, first, last, seeds, color, max_lines)
    return "\n".join(out) + "\n"


def source_block(table: str, row: dict[str, str], document: dict[str, str], first: int, last: int,
                 seeds: Path, color: bool, max_lines: int) -> list[str]:
    try:
        reading, warning = source_reading(seeds, document)
    except FileNotFoundError as error:
        return ["", str(error)]
    lines = [line.rstrip("\r") for line in reading.text.split("\n")]
    read_as = ("" if reading.source_format in ("txt", "md")
               else f"; lines of the text its {reading.source_format.upper()} reader produced")
    out = ["", f"{seeds / document['source_file']} ({document['document_id']}: {document['title']}{read_as})"]
    if warning:
        out.append(warning)
    focus = int(row["line"]) if "line" in row else None
    mentions = mention_of(table, row)
    if focus:
        first, last = widen(lines, first, last)
        # the line of a table row is where the row starts: its agency column may run on below
        for _ in range(MAX_RUN_ON):
            window = "\n".join(lines[first - 1 : last])
            if last >= len(lines) or any(find_mention(window, m, table == "measure_agencies") for m in mentions if m):
                break
            _, last = widen(lines, last + 1, last + 1)
    out += highlighted_lines(lines, first, last, mentions, color, prefix_ok=table == "measure_agencies",
                             max_lines=max_lines, focus=focus, pages=reading.line_pages)
    return out


def agency_context(row: dict[str, str], package: Path, seeds: Path, documents: dict,
                   measures: dict, color: bool, limit: int = 3) -> list[str]:
    """An agency has no line of its own: its lineage and where it is named."""
    agencies = {r["agency_id"]: r for r in read_table(package, "agencies")}
    out = []
    if row["successor_id"] and row["successor_id"] in agencies:
        out.append(f"\nbecame {agencies[row['successor_id']]['name']} ({row['successor_id']})")
    formerly = [a for a in agencies.values() if a["successor_id"] == row["agency_id"]]
    if formerly:
        out.append("formerly " + ", ".join(f"{a['name']} ({a['agency_id']})" for a in formerly))
    mentions = [r for r in read_table(package, "measure_agencies") if r["agency_id"] == row["agency_id"]]
    roles = {role: sum(1 for r in mentions if r["role"] == role) for role in ("lead", "support", "responsible")}
    out.append(f"\nnamed {len(mentions)} times: " + ", ".join(f"{n} {role}" for role, n in roles.items()))
    for mention in mentions[:limit]:
        document, first, last = source_span("measure_agencies", mention, documents, measures)
        key = row_key("measure_agencies", mention)
        out.append(f"\n— {key} ({mention['role']})")
        out += source_block("measure_agencies", mention, document, first, last, seeds, color, MAX_LINES)[1:]
    if len(mentions) > limit:
        out.append(f"\n… and {len(mentions) - limit} more (python -m pipeline explain MEASURE_ID/CLAUSE/POSITION)")
    return out
