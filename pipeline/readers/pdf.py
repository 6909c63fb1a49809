"""PDF documents with a text layer, read with pypdfium2 (PDFium); tables found by pdfplumber.

Each page gives its printed lines in the order PDFium reads them (the content's order, which
for documents exported from Word or WPS is the reading order). Page furniture is dropped by its
place on the page and by repetition: a line in the top or bottom margin band that is a page
number (`— 3 —`, `- 3 -`, `第3页`, `3/12`), or whose text (digits aside) comes back in the same
band on other pages (a running header or footer). A page drawn with ruled lines is handed to
pdfplumber's table finder; the lines inside a table it finds are replaced by one line per row,
its cells separated by tabs (a cell spanning columns once, a cell spanning rows in each row).

Characters a PDF font maps to Kangxi radicals (`⽂` U+2F42 for `文`), a known flaw of some
Chinese PDFs, are read as the characters they print. A PDF without any text layer (a scan) is
refused, naming the file and its pages: OCR it first. A page without text in a PDF that has
text elsewhere is named in a warning.

The reader returns the text and, per line, its page (1-based), for the `page_start` and
`page_end` columns.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from io import BytesIO

from pipeline.clean import checked_text
from pipeline.errors import InputError

MARGIN_BAND = 0.1  # share of the page height at the top and at the bottom where furniture sits
MIN_TABLE_PATHS = 4  # ruled lines or boxes a page needs before pdfplumber looks for tables
PAGE_NUMBER = re.compile(
    r"^[—\-－–―~～·•\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[—\-－–―~～·•\s]*$"
    r"|^(?:page\s*)?\d{1,4}(?:\s*of\s*\d{1,4})?$",
    re.IGNORECASE)
DIGITS = re.compile(r"\d+")
KANGXI_RADICALS = re.compile("[\u2e80-\u2fdf]")
LINE_BREAKS = frozenset("\r\n")


@dataclass
class PageLine:
    text: str
    box: tuple[float, float, float, float]  # left, bottom, right, top in PDF units
    chars: list[tuple[str, float, float]] = field(default_factory=list)  # (char, x centre, y centre)


@dataclass
class Page:
    number: int  # 1-based
    height: float
    lines: list[PageLine]
    paths: int  # path objects (ruled lines, boxes): whether tables may be drawn


def read_pdf(data: bytes, name: str, warnings: list[str]) -> tuple[str, tuple[int, ...]]:
    """A PDF's bytes → the text of its pages without furniture, and the page of each line."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise InputError(name, None, "encrypted", "the PDF is protected by a password: "
                             "save an unprotected copy") from None
        raise InputError(name, None, "unreadable", f"not a readable PDF ({error})") from None
    pages = []
    try:
        for index in range(len(document)):
            try:
                pages.append(read_page(document[index], index + 1))
            except pdfium.PdfiumError as error:
                raise InputError(name, None, "unreadable", f"page {index + 1} of the PDF cannot be read "
                                 f"({error}): the file is damaged") from None
    finally:
        document.close()
    if not pages:
        raise InputError(name, None, "empty", "the PDF has no pages")
    blank = [page.number for page in pages if not page.lines]
    if len(blank) == len(pages):
        raise InputError(name, None, "no_text_layer",
                         f"no text layer on any of its {len(pages)} page(s): a scanned PDF; "
                         "OCR it first (e.g. with ocrmypdf) and add the result")
    if blank:
        warnings.append(f"{name}: page(s) {', '.join(map(str, blank))} have no text layer "
                        "(scanned?): their text is missing")
    drop_furniture(pages)
    if any(page.paths >= MIN_TABLE_PATHS for page in pages):
        read_tables(data, pages, name, warnings)
    texts: list[str] = []
    line_pages: list[int] = []
    for page in pages:
        for line in page.lines:
            texts.append(line.text)
            line_pages.append(page.number)
    return checked_text("\n".join(texts), name, warnings), tuple(line_pages)


def read_page(page, number: int) -> Page:
    """The page's lines as PDFium breaks them, each with its box and its characters' places."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    lines: list[PageLine] = []
    current: list[tuple[str, tuple[float, float, float, float] | None]] = []

    def close_line() -> None:
        boxes = [box for _, box in current if box is not None]
        text = "".join(ch for ch, _ in current).strip()
        if text and boxes:
            line = PageLine(text, (min(b[0] for b in boxes), min(b[1] for b in boxes),
                                   max(b[2] for b in boxes), max(b[3] for b in boxes)))
            line.chars = [(ch, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for ch, b in current if b is not None]
            lines.append(line)
        current.clear()

    try:
        count = textpage.count_chars()
        pending_surrogate = 0
        for index in range(count):
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
            if 0xD800 <= code < 0xDC00:
                pending_surrogate = code
                continue
            if 0xDC00 <= code < 0xE000:
                if not pending_surrogate:
                    continue
                code = 0x10000 + ((pending_surrogate - 0xD800) << 10) + (code - 0xDC00)
            pending_surrogate = 0
            ch = chr(code)
            if ch in LINE_BREAKS:
                close_line()
                continue
            if KANGXI_RADICALS.match(ch):
                ch = unicodedata.normalize("NFKC", ch)
            generated = pdfium_c.FPDFText_IsGenerated(textpage.raw, index) == 1
            box = None if generated or ch.isspace() else textpage.get_charbox(index)
            current.append((ch, box))
        close_line()
        paths = sum(1 for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=2))
        _, height = page.get_size()
    finally:
        textpage.close()
        page.close()
    return Page(number, height, lines, paths)


def band(line: PageLine, page: Page) -> str | None:
    """`top` or `bottom` when the line sits in that margin band of its page."""
    left, bottom, right, top = line.box
    if bottom >= page.height * (1 - MARGIN_BAND):
        return "top"
    if top <= page.height * MARGIN_BAND:
        return "bottom"
    return None


def drop_furniture(pages: list[Page]) -> None:
    """Drop page numbers and running headers or footers (see the module's docstring)."""
    seen: dict[tuple[str, str], set[int]] = {}
    for page in pages:
        for line in page.lines:
            where = band(line, page)
            if where:
                seen.setdefault((where, DIGITS.sub("#", line.text.replace(" ", ""))), set()).add(page.number)
    for page in pages:
        kept = []
        for line in page.lines:
            where = band(line, page)
            if where and (PAGE_NUMBER.match(line.text)
                          or len(seen[(where, DIGITS.sub("#", line.text.replace(" ", "")))]) >= 2):
                continue
            kept.append(line)
        page.lines = kept


def read_tables(data: bytes, pages: list[Page], name: str, warnings: list[str]) -> None:
    """Replace the lines of every table pdfplumber finds by a line per row of cells. Where
    pdfplumber cannot parse what PDFium could (a damaged file), the lines stay as printed."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its notes on repaired objects are not ours
    try:
        with pdfplumber.open(BytesIO(data)) as document:
            for page in pages:
                if page.paths < MIN_TABLE_PATHS or not page.lines:
                    continue
                plumbed = document.pages[page.number - 1]
                for table in plumbed.find_tables():
                    rows = [[pdf_box(cell, plumbed.height) if cell else None for cell in row.cells]
                            for row in table.rows]
                    page.lines = with_table(page.lines, pdf_box(table.bbox, plumbed.height), rows)
    except Exception as error:  # pdfminer raises many kinds on a damaged file
        warnings.append(f"{name}: tables not read by cell ({type(error).__name__}: {error}); "
                        "their lines are read as printed")


def pdf_box(box: tuple[float, float, float, float], height: float) -> tuple[float, float, float, float]:
    """pdfplumber's (x0, top, x1, bottom), measured from the top, as PDF's left, bottom, right, top."""
    return box[0], height - box[3], box[2], height - box[1]


def centre(box: tuple[float, float, float, float]) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def inside(x: float, y: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def with_table(lines: list[PageLine], table_box, rows: list[list[tuple | None]]) -> list[PageLine]:
    """`lines` with those inside `table_box` replaced, where the first stood, by the rows."""
    in_table = [line for line in lines if inside(*centre(line.box), table_box)]
    if not in_table:
        return lines
    chars = [c for line in in_table for c in line.chars]
    texts = [[cell_text(chars, cell) if cell else None for cell in row] for row in rows]
    row_lines = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            if cell is not None:
                cells.append(texts[i][j])
            elif (above := spanning_above(rows, texts, i, j)) is not None:
                cells.append(above)
        if any(cells):
            row_lines.append(PageLine("\t".join(cells), row_box(row, table_box)))
    first = lines.index(in_table[0])
    kept = [line for line in lines if line not in in_table]
    return kept[:first] + row_lines + kept[first:]


def spanning_above(rows: list[list[tuple | None]], texts: list[list[str | None]], i: int, j: int) -> str | None:
    """Where no cell starts at row i, column j: the text of the cell above that spans down over
    it (repeated in each row it spans), None when a cell to the left spans over it (its text
    is in the row once) or nothing does."""
    column = next((row[j] for row in rows if row[j] is not None), None)
    here = next((cell for cell in rows[i] if cell is not None), None)
    if column is None or here is None:
        return None
    x, _ = centre(column)
    _, y = centre(here)
    left = next((rows[i][k] for k in range(j - 1, -1, -1) if rows[i][k] is not None), None)
    if left is not None and left[2] > x:
        return None
    for k in range(i - 1, -1, -1):
        above = rows[k][j]
        if above is not None:
            return texts[k][j] if above[1] < y else None
    return None


def row_box(row: list[tuple | None], table_box) -> tuple[float, float, float, float]:
    cells = [cell for cell in row if cell is not None]
    if not cells:
        return table_box
    return (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))


def cell_text(chars: list[tuple[str, float, float]], cell: tuple[float, float, float, float]) -> str:
    """The characters whose centres fall in the cell, in reading order, on one line."""
    return "".join(ch for ch, x, y in chars if inside(x, y, cell)).strip()
