"""Rebuild a responsibility table (序号 / 工作任务 / 责任单位 / 配合落实部门 / 时间进度) that the
PDF extraction flattened cell by cell, with wrapped cells, page numbers and blank lines.

Cells are told apart by their form: the serial number is a bare integer continuing the
sequence, agency cells are lists of names of bodies, the deadline starts with a year, the task
is the rest. A tab always separates two cells (a table read from its real cells). On one line, cells are separated by whitespace between two CJK characters; a cell
wraps onto the next line while its text is unfinished (an agency list ending in `、` or in a
name cut short such as `市政务服务`), which is how the narrow 责任单位 cell is told from the
配合落实部门 cell beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.extract.agencies import looks_like_agency, split_names

CELLS = ("task", "lead", "support", "deadline")

_LABEL = re.compile(r"^(?P<label>\d{1,3})(?:\s+(?P<rest>.*))?$")
_PAGE_NUMBER = re.compile(r"^[—\-－]*\s*\d{1,3}\s*[—\-－]*$")
# Whitespace between two non-ASCII characters separates cells; next to digits it does not
# (`2014-2017 年`). A tab always does: the readers of web pages, Word files and PDF tables
# write a row's real cells tab-separated (`经济和信息化厅\t2025年底前`).
_CELL_GAP = re.compile(r"\t+|(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_WHITESPACE = re.compile(r"\s+")
_DEADLINE = re.compile(
    r"^(?:19|20)\d{2}年?(?:\d{1,2}月)?(?:[-—–~～至到](?:19|20)?\d{2,4}年?(?:\d{1,2}月)?)?"
    r"(?:年|底|末|前|以前|开始|起|完成|滚动实施|持续推进)*$"
)
_DEADLINE_TAIL = re.compile(r"^[\u4e00-\u9fff]{1,8}$")
_COLUMN_TITLES = ("序号", "工作任务", "责任单位", "配合落实部门", "配合单位", "时间进度",
                  "完成时限", "牵头单位")
# Any column title, whitespace allowed between its characters: most lines hold none.
_ANY_TITLE = re.compile("|".join(r"\s*".join(title) for title in _COLUMN_TITLES))
_HEADER_FRAGMENTS = {"序", "号", "序号"}
_UNFINISHED_END = "、，,；;"
_NAME_SEPARATORS = "、，,；;"
_NAME_SEPARATOR = re.compile(f"[{_NAME_SEPARATORS}]")
# An agency cell opens with a jurisdiction marker (`市住建局`, `各县市区政府`) or with a short
# name of a body (`财政厅`); task text may end in 处, 所, 站 … but rarely in these.
_AGENCY_START = re.compile(r"^(?:各|市|省|县|区|国家|国务院|中国|中共|相关|有关)")
_NAME_START = re.compile(r"^[^，,。；;“”（）()]{2,10}(?:局|委|办|厅|政府|管委会|公司|中心|集团|电力|银行|分行"
                         r"|海关|支队|大学)$")
_LONGEST_NAME = 16


@dataclass
class _Piece:
    line: int
    text: str
    starts_line: bool


@dataclass
class _Row:
    label: str
    line_start: int
    line_end: int
    cells: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in CELLS})
    cell_lines: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(CELLS))

    def add(self, cell: str, line: int, text: str) -> None:
        self.cells[cell].append(text)
        if self.cell_lines[cell] is None:
            self.cell_lines[cell] = line
        if line > self.line_end:
            self.line_end = line

    def as_dict(self) -> dict:
        row = {"label": self.label}
        row.update({cell: "".join(self.cells[cell]) or None for cell in CELLS})
        row.update({"line_start": self.line_start, "line_end": self.line_end})
        row.update({f"{cell}_line": self.cell_lines[cell] for cell in CELLS})
        return row


def parse_task_table(lines: list[tuple[int, str]]) -> list[dict]:
    """Rows of the table from its raw (line number, text) pairs after the title.

    Each row: `label` (序号 as printed), `task`, `lead` (责任单位), `support` (配合落实部门),
    `deadline` (时间进度 as printed), whitespace removed, None for an empty cell; `line_start`,
    `line_end` and `<cell>_line`, the raw line where each cell starts. Parsing stops at the
    first line after a finished row that fits no cell (the text after the table).
    """
    rows: list[_Row] = []
    pieces = _pieces(lines)
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        label = _LABEL.match(piece.text) if piece.starts_line else None
        if label:
            rest = _cells(piece.line, label.group("rest") or "", starts_line=False)
            if _opens_row(label, rows, rest or pieces[index + 1:index + 2]):
                rows.append(_Row(label.group("label"), piece.line, piece.line))
                pieces[index:index + 1] = rest
                continue
            if rest:  # a number opening a wrapped line of text, not a 序号
                pieces[index:index + 1] = _cells(piece.line, piece.text, starts_line=True)
                label = None
        if not label and piece.starts_line and _PAGE_NUMBER.match(piece.text):
            index += 1
            continue
        if label or not rows:
            index += 1
            continue
        consumed = _place(rows[-1], pieces, index)
        if consumed == 0:
            break
        index += consumed
    return [row.as_dict() for row in rows]


def agencies_in_cell(text: str | None) -> list[str]:
    """The agency names in a table cell, split like the names of a responsibility clause."""
    return [name["mention"] for name in split_names(text or "")]


def _pieces(lines: list[tuple[int, str]]) -> list[_Piece]:
    """The cell texts of each non-blank line that is not part of a column header."""
    kept = [(number, stripped) for number, text in lines if (stripped := text.strip())]
    headers = {i for i, (_, text) in enumerate(kept) if _is_column_header(text)}
    # `序` and `号` of a wrapped 序号 title sit just before the header line.
    headers |= {i for i, (_, text) in enumerate(kept)
                if text in _HEADER_FRAGMENTS and {i + 1, i + 2} & headers}
    pieces = []
    for i, (number, text) in enumerate(kept):
        if i in headers:
            continue
        if _LABEL.match(text) or _PAGE_NUMBER.match(text):
            pieces.append(_Piece(number, text, True))
        else:
            pieces += _cells(number, text, starts_line=True)
    return pieces


def _cells(line: int, text: str, *, starts_line: bool) -> list[_Piece]:
    """The cells of one line of text; only the first can continue the line before."""
    text = text.strip()
    if not _WHITESPACE.search(text):  # cells are separated by whitespace only
        return [_Piece(line, text, starts_line)] if text else []
    cells = [cell for cell in _CELL_GAP.split(text) if cell]
    return [_Piece(line, cell, starts_line and i == 0) for i, cell in enumerate(cells)]


@lru_cache(maxsize=1024)  # a piece is read by _place, and again by the agency cell before it
def _compact(text: str) -> str:
    return _WHITESPACE.sub("", text)


def _is_column_header(text: str) -> bool:
    if not _ANY_TITLE.search(text):
        return False
    compact = _WHITESPACE.sub("", text)
    return sum(title in compact for title in _COLUMN_TITLES) >= 2


def _opens_row(label: re.Match, rows: list[_Row], following: list[_Piece]) -> bool:
    """A bare integer opens a row when it continues the 序号 sequence after a row that has
    reached its agency cells and the text after it is no deadline; else it is a page number."""
    expected = int(rows[-1].label) + 1 if rows else 1
    if int(label.group("label")) != expected:
        return False
    if following and _DEADLINE.match(_compact(following[0].text)):
        return False
    return not rows or any(rows[-1].cells[cell] for cell in ("lead", "support", "deadline"))


def _place(row: _Row, pieces: list[_Piece], index: int) -> int:
    """Put pieces[index] (and the pieces its cell wraps onto) into the row's cells; return
    how many pieces were used, 0 when the piece belongs to no cell of this row."""
    piece = pieces[index]
    compact = _compact(piece.text)
    if _DEADLINE.match(compact):
        row.add("deadline", piece.line, compact)
        return 1
    if row.cells["deadline"]:
        if piece.starts_line and _DEADLINE_TAIL.match(compact) and not looks_like_agency(compact):
            row.add("deadline", piece.line, piece.text)
            return 1
        return 0
    used, parts = _agency_cell(pieces, index)
    if used:
        cell = "support" if row.cells["lead"] else "lead"
        if row.cells[cell]:  # a third agency cell: keep its names apart from the support's
            row.cells[cell].append("、")
        for part in parts:
            row.add(cell, part.line, _compact(part.text))
        return used
    row.add("task", piece.line, compact)
    return 1


def _agency_cell(pieces: list[_Piece], index: int) -> tuple[int, list[_Piece]]:
    """How many pieces from `index` make one agency cell, and those holding its text;
    (0, []) when they do not make one."""
    first = _compact(pieces[index].text)
    if not (_AGENCY_START.match(first)
            or _NAME_START.match(_NAME_SEPARATOR.split(first, maxsplit=1)[0].removesuffix("等"))):
        return 0, []
    parts, used = [pieces[index]], 1
    text = first
    while index + used < len(pieces):
        nxt = pieces[index + used]
        compact = _compact(nxt.text)
        wraps = nxt.starts_line and _unfinished(text)
        if not (wraps or compact.startswith("等")) or _DEADLINE.match(compact):
            break
        used += 1
        if not _PAGE_NUMBER.match(nxt.text):  # a page break inside the wrapped cell
            parts.append(nxt)
            text += compact
    if _unfinished(text) or not (names := split_names(text)):
        return 0, []
    if all(looks_like_agency(name["mention"]) and len(name["mention"]) <= _LONGEST_NAME
           for name in names):
        return used, parts
    return 0, []


def _unfinished(text: str) -> bool:
    """An agency list that goes on: ends in a separator or in a name cut short (`市政务服务`)."""
    if not text or text[-1] in _UNFINISHED_END:
        return True
    cut = max(text.rfind("、"), text.rfind("，"), text.rfind(","), text.rfind("；"), text.rfind(";"))
    last = text[cut + 1:]  # the last name: after the last of _NAME_SEPARATORS
    return not looks_like_agency(last.removesuffix("等"))
