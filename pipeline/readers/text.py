"""Plain text and Markdown: the file's own lines.

A `.txt` file is decoded as it is (`clean.decode`). A Markdown file is parsed with markdown-it-py
and each line keeps its text without the markup (`#`, `>`, `**`, list bullets, link targets,
table pipes): a line of the reader's text is the same line of the file, so line numbers are the
file's own. An ordered list item keeps its number as printed (`1.`), the label of a numbered
item; a table row becomes its cells separated by tabs.
"""
from __future__ import annotations

from functools import cache

from pipeline.clean import decode


def read_text(data: bytes, name: str, warnings: list[str]) -> str:
    return decode(data, name, warnings)


def read_markdown(data: bytes, name: str, warnings: list[str]) -> str:
    return plain_markdown(decode(data, name, warnings))


@cache
def markdown_parser():
    from markdown_it import MarkdownIt

    # Raw HTML is read as text, not as markup: a policy text quotes, it does not embed.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def inline_pieces(inline) -> list[str]:
    """The plain text of an inline token, split where the source breaks its lines."""
    pieces = [""]
    for child in inline.children or ():
        if child.type in ("softbreak", "hardbreak"):
            pieces.append("")
        elif child.type in ("text", "code_inline", "html_inline"):
            pieces[-1] += child.content
        elif child.type == "image":
            pieces[-1] += "".join(c.content for c in child.children or ())
    return pieces


def plain_markdown(text: str) -> str:
    """Markdown → the same lines without their markup (see the module's docstring)."""
    lines = [""] * len(text.split("\n"))
    tokens = markdown_parser().parse(text)
    ordered: list[bool] = []  # per open list: is it numbered?
    label = ""  # the number of the list item whose first line comes next
    row: list[str] | None = None
    row_line = 0
    for token in tokens:
        if token.type in ("ordered_list_open", "bullet_list_open"):
            ordered.append(token.type == "ordered_list_open")
        elif token.type in ("ordered_list_close", "bullet_list_close"):
            ordered.pop()
        elif token.type == "list_item_open" and ordered and ordered[-1]:
            label = token.info + token.markup
        elif token.type == "tr_open":
            row, row_line = [], token.map[0]
        elif token.type == "tr_close" and row is not None:
            lines[row_line] = "\t".join(row)
            row = None
        elif token.type == "inline" and token.map:
            pieces = inline_pieces(token)
            if row is not None:
                row.append("".join(pieces).replace("\t", " "))
                continue
            pieces[0] = label + pieces[0]
            label = ""
            for offset, piece in enumerate(pieces):
                if token.map[0] + offset < len(lines):
                    lines[token.map[0] + offset] = piece
        elif token.type in ("fence", "code_block") and token.map:
            first = token.map[0] + (1 if token.type == "fence" else 0)
            for offset, piece in enumerate(token.content.rstrip("\n").split("\n")):
                if first + offset < len(lines):
                    lines[first + offset] = piece
    return "\n".join(lines)
