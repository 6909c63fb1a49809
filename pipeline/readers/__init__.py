"""Stage 0, read: a source file's bytes → the text the cleaning stage takes, one reader per format.

Plain text and Markdown are decoded as they are; a web page, a Word file or a PDF is read by a
library made for its format into lines of text: a paragraph, a list item or a table row
(cells separated by tabs) per line for HTML and DOCX, a printed line per line for PDF. Line
numbers in the package count lines of this text (for `.txt` and `.md`, the file's own lines),
and `python -m pipeline explain` reads the file through the same reader to show them.

The format is told by the content first (a PDF, a DOCX or an HTML page renamed `.txt` is read
as what it is), then by the file's extension in any letter case.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

FORMATS = ("txt", "md", "html", "docx", "pdf")
SUFFIXES = {
    ".txt": "txt", ".text": "txt",
    ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
# Formats met in folders of policy documents that no reader takes, and what to do instead.
UNSUPPORTED_HINTS = {
    ".doc": "an old Word document: save it as .docx",
    ".wps": "a WPS document: save it as .docx",
    ".rtf": "an RTF document: save it as .docx",
    ".odt": "an OpenDocument text: save it as .docx",
    ".ofd": "an OFD document: export it as PDF",
    ".xls": "a spreadsheet", ".xlsx": "a spreadsheet", ".csv": "a table of data",
    ".jpg": "an image (OCR it first)", ".jpeg": "an image (OCR it first)",
    ".png": "an image (OCR it first)", ".tif": "an image (OCR it first)",
    ".tiff": "an image (OCR it first)",
    ".zip": "an archive: unpack it into the folder", ".rar": "an archive: unpack it into the folder",
    ".7z": "an archive: unpack it into the folder",
}
HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                        re.IGNORECASE | re.DOTALL)
HTML_TAG = re.compile(rb"</?(?:p|div|span|br|table|tr|td|font|strong|b|h[1-6]|a|li|ul)\b[^<>]{0,300}>",
                      re.IGNORECASE)
MIN_HTML_TAGS = 3  # a policy text writes 《》 and （）, never three HTML tags


@dataclass(frozen=True)
class Reading:
    """What a reader made of a file: the text later stages take, and what it was read as."""

    text: str
    source_format: str
    line_pages: tuple[int, ...] = ()  # PDF: the page of each line of `text` (index = line - 1)


def format_of(name: str) -> str | None:
    """The format a file name says (extension in any letter case), None when no reader takes it."""
    return SUFFIXES.get(PurePosixPath(name).suffix.lower())


def unsupported_reason(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    what = UNSUPPORTED_HINTS.get(suffix, f"{suffix} files" if suffix else "a file without an extension")
    readable = ", ".join(sorted({s for s in SUFFIXES if s not in (".text", ".markdown", ".xhtml")}))
    return f"unsupported format: {what}; the readers take {readable}"


def sniffed_format(data: bytes, tags_suffice: bool = True) -> str | None:
    """The format the content shows, whatever the file's name: pdf, docx, html, or None.
    A page is HTML by its opening tag, or (with `tags_suffice`, not for Markdown, which may
    hold a few tags) by three HTML tags in its first 64 KB."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return None
        return None
    head = data[:65536]
    if HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")):
        return "html"
    if tags_suffice and len(HTML_TAG.findall(head)) >= MIN_HTML_TAGS and b"</" in head:
        return "html"
    return None


def read_source(data: bytes, name: str, warnings: list[str] | None = None) -> Reading:
    """A file's bytes as the text later stages read; InputError naming the file when no text
    can be had (with the line where there is one)."""
    warnings = [] if warnings is None else warnings
    named = format_of(name) or "txt"
    source_format = sniffed_format(data, tags_suffice=named == "txt") or named
    if source_format == "pdf":
        from pipeline.readers.pdf import read_pdf

        text, pages = read_pdf(data, name, warnings)
        return Reading(text, "pdf", pages)
    if source_format == "docx":
        from pipeline.readers.docx import read_docx

        return Reading(read_docx(data, name, warnings), "docx")
    if source_format == "html":
        from pipeline.readers.html import read_html

        return Reading(read_html(data, name, warnings), "html")
    from pipeline.readers.text import read_markdown, read_text

    if source_format == "md":
        return Reading(read_markdown(data, name, warnings), "md")
    return Reading(read_text(data, name, warnings), "txt")
