"""When a figure holds: a goal for a deadline year, a past or current figure, or unknown.

A year statement (`到2017年`, `2020年前`, `2013年`) sets the frame for what follows it up to the
end of its paragraph (`\\n`); a relative period does the same (`今后3年` a goal without a year,
`近3年`, `一年来` the past, `今年` a goal for the document's year). A sentence holding a status cue
(`截至`, `同比`, `已` …) reports figures unless it also states a deadline or a goal adverb opens
it. A goal adverb (`力争`, `确保` …) makes the rest of its sentence a goal.

A section sets the frame its items start from (`section_frame`): a review (`2025年工作回顾`,
`发展现状`) reports; in a government work report, the plan (`2026年工作安排`, `主要预期目标`,
`“十五五”时期的主要目标`) sets goals for the year its heading names, else the report's year (none
for a period of several years). The cue words live in `lexicons/time_cues.csv`.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import islice

from pipeline.extract.lexicon import alternation, first_characters, rows, words
from pipeline.extract.literals import holds_any, may_match

END_OF_TIME = float("inf")

SENTENCE_END = re.compile(r"[。！？!?；;\n]")
CLAUSE_END = re.compile(r"[，,。！？!?；;：:\n]")
BOOK_TITLE = re.compile(r"《[^《》\n]{0,120}》")
HEADING_MAX = 10  # a first sentence this short, without a comma, is a heading (`发展目标。`)
OPENING_MAX = 200  # how far the opening clauses of a text are looked for


@dataclass(frozen=True, slots=True)
class Frame:
    mode: str  # "goal": a value to reach by `year`; "past": a reported figure; "none": unknown
    year: int | None
    by_status: bool = False  # past only for a status cue of its sentence (`已`, `累计`, `同比`)


UNKNOWN = Frame("none", None)


@cache
def cues(kind: str) -> tuple[str, ...]:
    return words("time_cues", "kind", kind)


@cache
def year_regex() -> re.Pattern[str]:
    """A year mention with the words around it that say what kind of time it is."""
    prefix = alternation(cues("deadline_prefix") + cues("reference_prefix"))
    word_suffix = alternation(
        cues("since_suffix") + cues("period_suffix") + cues("deadline_suffix") + cues("reference_suffix")
    )
    dash = alternation(words("connectors", "kind", "range"))
    # `6月`, `1—8月`, `6月末`; a day (`9月1日`) makes it a date.
    month = rf"\d{{1,2}}\s*(?:{dash}\s*\d{{1,2}}\s*)?月(?P<day>\s*\d{{1,2}}\s*日)?(?:底|末)?"
    # The lookahead lets the engine pass over every character that can start no year mention.
    lead = first_characters(cues("deadline_prefix") + cues("reference_prefix")) + r"\s12"
    return re.compile(
        rf"(?=[{lead}])(?P<prefix>{prefix})?\s*"
        rf"(?<![0-9０-９])(?:(?:19|20)\d{{2}}\s*年?\s*{dash}\s*)?(?P<year>(?:19|20)\d{{2}})\s*年"
        rf"(?:\s*(?P<month>{month})|\s*(?P<suffix>{word_suffix}))?"
    )


@cache
def cue_regex(kind: str) -> re.Pattern[str]:
    return re.compile(alternation(cues(kind)))


@cache
def time_phrase_regex() -> re.Pattern[str]:
    """Year statements and relative periods as they open a goal clause, for removal."""
    return re.compile(rf"(?:{year_regex().pattern})|{alternation(cues('relative_future') + cues('this_year'))}")


def classify_year(m: re.Match[str], doc_year: int | None, current: Frame, reports: bool = False) -> Frame | None:
    """The frame a year mention opens; None when it is only a reference point or a date. In a
    text that `reports` (an article), the document's own year is the present, not a deadline."""
    year = int(m.group("year"))
    prefix, suffix = m.group("prefix"), m.group("suffix")
    if suffix in cues("since_suffix"):
        return Frame("past", None)
    if prefix in cues("reference_prefix") or suffix in cues("reference_suffix") or m.group("day"):
        return None  # `比2015年`, `2013年的15.9%`, `从2014年9月1日起`: a reference or a date
    if m.group("month") or suffix in cues("period_suffix"):
        future = doc_year is not None and year > doc_year
        return Frame("goal", year) if future else Frame("past", year)
    if doc_year is not None:
        if reports and year == doc_year and not is_deadline(m):
            return Frame("past", year)  # `2024年…入选` in an article of 2024 tells what happened
        return Frame("goal", year) if year >= doc_year else Frame("past", year)
    if prefix in cues("deadline_prefix") or suffix in cues("deadline_suffix"):
        return Frame("goal", year)
    return Frame("goal", year) if current.mode == "goal" else Frame("none", year)


def is_deadline(m: re.Match[str]) -> bool:
    """A year stated as a deadline by its own words (`到2025年`, `2020年前`)."""
    if m.group("day") or m.group("month"):
        return False
    return m.group("prefix") in cues("deadline_prefix") or m.group("suffix") in cues("deadline_suffix")


def opening_clauses(text: str) -> list[str]:
    """The first clause, and the second too when the first is a short heading (`发展目标。`)."""
    clauses = [text[a:b] for a, b in islice(pieces(CLAUSE_END, text[:OPENING_MAX]), 2)]
    first = clauses[0] if clauses else ""
    is_heading = first.endswith(("。", "\n")) and len(first.strip()) <= HEADING_MAX + 1
    return clauses if is_heading else clauses[:1]


def stated_year(text: str) -> int | None:
    """The deadline year a text states at its head (`到2025年，…`, `力争到2017年`, `2020年前`)."""
    if not may_match(year_regex(), text[:OPENING_MAX]):
        return None  # no year in the characters the opening clauses are cut from
    for clause in opening_clauses(text):
        for m in year_regex().finditer(clause):
            if is_deadline(m):
                return int(m.group("year"))
    return None


def named_year(text: str) -> int | None:
    """The first year a heading names (`2026年工作安排` → 2026), a date's excepted."""
    for m in year_regex().finditer(text):
        if not m.group("day"):
            return int(m.group("year"))
    return None


def section_frame(heading: str, doc_year: int | None, is_work_report: bool) -> Frame | None:
    """The frame a section heading sets for the items under it; None when it sets none.

    A review (`review_section` cue: `工作回顾`, `发展现状`) reports, in any document. In a
    government work report, the plan (`plan_section` cue: `工作安排`, `预期目标`) sets goals for
    the year the heading names, else for the report's year, but for none when it names a period
    of several years (`“十五五”时期`, `period_section` cue); a heading naming only a year is a
    review when the year is before the report's, a plan otherwise."""
    if not heading:
        return None
    if holds_any(heading, cues("review_section")):
        return Frame("past", None)
    if not is_work_report:
        return None
    year = named_year(heading)
    if holds_any(heading, cues("plan_section")):
        if year is None and holds_any(heading, cues("period_section")):
            return Frame("goal", None)
        return Frame("goal", year if year is not None else doc_year)
    if year is not None and doc_year is not None:
        return Frame("past", year) if year < doc_year else Frame("goal", year)
    return None


def is_work_report(title: str | None, opening: str) -> bool:
    """A government work report: its title ends like one (`2026年政府工作报告`), or its opening
    paragraphs hold the address every such report opens with (`向大会报告工作`)."""
    if title and title.endswith(cues("report_title")):
        return True
    return holds_any(opening, cues("report_opening"))


def item_timeline(text: str, doc_year: int | None, inherited: int | Frame | None,
                  reports: bool = False) -> Timeline:
    """The timeline of one item: a deadline stated at its head holds for all of it, else the
    frame (or the deadline year) its section hands down; in a review section (a past frame
    handed down) a deadline tells what was reached."""
    return Timeline(text, doc_year, inherited, reports, head_deadline=True)


def inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether `pos` falls in one of the sorted, disjoint `spans`."""
    i = bisect.bisect_right(spans, (pos, END_OF_TIME)) - 1
    return i >= 0 and pos < spans[i][1]


def pieces(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """Consecutive pieces of `text` ended by `pattern` (the terminator stays in its piece)."""
    start = 0
    for m in pattern.finditer(text):
        yield start, m.end()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def spans_of(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """All the `pieces` of `text`."""
    ends = [m.end() for m in pattern.finditer(text)]
    if len(text) > (ends[-1] if ends else 0):
        ends.append(len(text))
    return list(zip([0, *ends[:-1]], ends))


def matches_by_piece(
    pattern: re.Pattern[str], text: str, pieces: list[tuple[int, int]], ends: list[int]
) -> dict[int, list[re.Match[str]]]:
    """Piece index → the matches `pattern.finditer(text, start, end)` finds in that piece of
    the consecutive `pieces` (which end at `ends`), for the pieces that hold any, from one
    search of the whole text.

    A match of the whole text that lies inside one piece is what the piece's own search finds.
    One that runs past a piece's end (a `\\s*` that swallows the newline ending a paragraph) is
    not: the pieces it touches are searched again on their own."""
    found: dict[int, list[re.Match[str]]] = {}
    if not may_match(pattern, text):
        return found
    again: set[int] = set()
    for m in pattern.finditer(text):
        first = bisect.bisect_right(ends, m.start())
        if m.end() <= ends[first]:
            found.setdefault(first, []).append(m)
        else:
            again.update(range(first, bisect.bisect_right(ends, m.end() - 1) + 1))
    for i in again:
        found[i] = list(pattern.finditer(text, *pieces[i]))
    return found


EVENT_KINDS = ("relative_future", "plan_period", "this_year", "relative_past", "goal_adverb")


@cache
def plan_periods() -> dict[str, tuple[int, int]]:
    """A five-year plan's name → its first and last year (`十四五` → 2021, 2025)."""
    return {row["word"]: (int(row["first_year"]), int(row["last_year"])) for row in rows("plan_periods")}


def plan_period_frame(printed: str, doc_year: int | None, goal: Frame) -> Frame:
    """`“十四五”期间`, `十四五时期`: a five-year plan wholly before the document's year is the
    past; any other is a goal without a year (`goal`, or the state for a bare period name)."""
    name = next((word for word in plan_periods() if word in printed.replace("“", "").replace("”", "")), None)
    if name is not None and doc_year is not None and plan_periods()[name][1] < doc_year:
        return Frame("past", None)
    return goal


def sentence_events(
    text: str, sentences: list[tuple[int, int]], ends: list[int]
) -> dict[int, list[tuple[int, str, re.Match[str]]]]:
    """Sentence index → its time statements in text order, (offset, kind, match); a year
    inside a book title (`《2020年规划》`) is none. At one offset a year comes first, then the
    kinds in EVENT_KINDS order."""
    titles = [m.span() for m in BOOK_TITLE.finditer(text)]
    events: dict[int, list[tuple[int, str, re.Match[str]]]] = {}
    for i, found in matches_by_piece(year_regex(), text, sentences, ends).items():
        events[i] = [(m.start(), "year", m) for m in found if not inside(titles, m.start("year"))]
    for kind in EVENT_KINDS:
        for i, found in matches_by_piece(cue_regex(kind), text, sentences, ends).items():
            events.setdefault(i, []).extend((m.start(), kind, m) for m in found)
    for found in events.values():
        found.sort(key=lambda e: e[0])  # stable: keeps the order above at one offset
    return events


class Timeline:
    """The frame in force at every offset of one text.

    The text is read on the first question: most items print no amount and no figure, and
    then nothing asks."""

    def __init__(self, text: str, doc_year: int | None = None, base: int | Frame | None = None,
                 reports: bool = False, *, head_deadline: bool = False):
        """`base`: the frame every paragraph starts from (a deadline year stands for a goal);
        `reports`: the text reports (an article); `head_deadline`: a deadline stated at the head
        of the text (`stated_year`) replaces a `base` that is not past (read with the text, on
        the first question: most timelines are never asked)."""
        self._text = text
        self._doc_year = doc_year
        self._reports = reports
        self._base = Frame("goal", base) if isinstance(base, int) else (base or UNKNOWN)
        self._head_deadline = head_deadline
        self._positions: list[int] = []
        self._frames: list[Frame] = []
        self._is_read = False

    def _read(self) -> None:
        """Record the frames of every sentence, in text order."""
        self._is_read = True
        text = self._text
        if self._head_deadline and self._base.mode != "past" and (own := stated_year(text)) is not None:
            self._base = Frame("goal", own)
        sentences = spans_of(SENTENCE_END, text)
        ends = [end for _, end in sentences]
        # Each cue regex searches the whole text once: a search per sentence costs more.
        events = sentence_events(text, sentences, ends)
        statistics = matches_by_piece(cue_regex("statistic"), text, sentences, ends)
        base = self._base
        state = base
        for i, (start, _) in enumerate(sentences):
            if start > 0 and text[start - 1] == "\n":
                state = base  # a year stated in one paragraph does not reach the next
            if i not in events and i not in statistics:
                self._mark(start, state)  # a sentence stating no time keeps the frame
                continue
            first_statistic = statistics[i][0].start() if i in statistics else None
            state = self._read_sentence(start, events.get(i, ()), first_statistic, state)

    def _read_sentence(
        self, start: int, events: Iterable[tuple[int, str, re.Match[str]]], first_statistic: int | None,
        state: Frame,
    ) -> Frame:
        """Record the frames of one sentence from its time statements in text order
        ((offset, kind, match)); return the state carried to the next sentence. A status cue
        (at `first_statistic`) makes the sentence report, unless it states a deadline or a
        commitment (`确保…较上年再降…`) comes before the cue."""
        steps: list[tuple[int, Frame, bool]] = [(start, state, False)]
        adverb = deadline = False
        for pos, kind, m in events:
            if kind == "goal_adverb":
                adverb = True
                committed = m.group() in cues("commitment") and first_statistic is not None
                deadline = deadline or (committed and pos < first_statistic)
            elif kind == "relative_future":
                state = plan_period_frame(m.group(), self._doc_year, Frame("goal", None))
                deadline = deadline or state.mode == "goal"
            elif kind == "plan_period":
                state = plan_period_frame(m.group(), self._doc_year, state)
            elif kind == "this_year":
                state, deadline = Frame("goal", self.this_year(state)), True
            elif kind == "relative_past":
                state = Frame("past", None)
            elif (frame := classify_year(m, self._doc_year, state, self._reports)) is not None:
                if self._doc_year is None and self._base.mode == "past" and frame.mode != "past":
                    frame = Frame("past", frame.year)  # `到2025年` in a review tells what was reached
                state = frame
                deadline = deadline or (frame.mode == "goal" and is_deadline(m))
            steps.append((pos, state, adverb))
        reporting = not deadline and first_statistic is not None
        for pos, frame, after_adverb in steps:
            if reporting:
                frame = frame if frame.mode == "past" else Frame("past", frame.year, by_status=True)
            elif after_adverb and frame.mode == "none":
                frame = Frame("goal", frame.year)
            self._mark(pos, frame)
        return state

    def this_year(self, state: Frame) -> int | None:
        """The year `今年` names: the document's, else the one its section names."""
        if self._doc_year is not None:
            return self._doc_year
        return self._base.year if self._base.mode == "goal" else state.year if state.mode == "goal" else None

    def _mark(self, pos: int, frame: Frame) -> None:
        if self._positions and self._positions[-1] == pos:
            self._frames[-1] = frame
        else:
            self._positions.append(pos)
            self._frames.append(frame)

    def at(self, pos: int) -> Frame:
        if not self._is_read:
            self._read()
        i = bisect.bisect_right(self._positions, pos) - 1
        return self._frames[i] if i >= 0 else UNKNOWN
