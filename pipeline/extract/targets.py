"""Quantitative goals in one item's text: one row per value a document sets.

A number with a unit (`%`, `个百分点`, `家`, `亿元` …) is a goal when the time frame around it is a
goal (`到2025年`, `力争`, `今后3年`, a deadline inherited from the section head), or when a verb
that creates things governs it (`培育…25家`, `打造30个…`). Past and current figures, eligibility
conditions (`…5亿元以上的企业`), rates of a grant (`按…5%给予`) and caps are not goals.
Cue words come from `pipeline/lexicons/` (see its README); `stated_year` is exported so that a
caller can hand a section's deadline down to the items under it.
"""
from __future__ import annotations

import bisect
import re
from functools import cache, cached_property
from typing import NamedTuple

from pipeline.extract.amounts import extract_amounts, is_cjk
from pipeline.extract.lexicon import (
    alternation,
    first_characters,
    mapping,
    rows_where,
    trie_alternation,
    words,
)
from pipeline.extract.literals import holds_any, prefix_entry, suffix_entry
from pipeline.extract.numbers import (
    MULTIPLIERS,
    NUMBER,
    NUMBER_AHEAD,
    NUMBER_AHEAD_RE,
    NUMBER_CHARS,
    NUMBER_FIRST,
    NUMBER_START,
    scaled,
)
from pipeline.extract.parallel import parallel_split
from pipeline.extract.timeframe import (
    Timeline,
    item_timeline,
    stated_year,
    time_phrase_regex,
)

__all__ = ["extract_targets", "stated_year"]

CLAUSE_END = re.compile(r"[，,；;。！？!?：:\n]")
PARAGRAPH_END = re.compile("\n")
QUOTES = "“”\"‘’'「」『』"
PLUS = "+"
MAX_CLAUSE = 200
SLOGAN_MAX = 10  # how far a quotation naming a programme reaches around a number
LEADING_ASIDE = re.compile(r"^[（(][^（()）]{1,8}[）)]")


class Quantity(NamedTuple):
    """A number with its unit, as printed, before deciding whether it is a goal."""

    start: int  # first character of the number (or of the lower end of a range)
    end: int  # past the unit, a trailing qualifier and a closing quote
    low: float
    high: float
    is_range: bool
    unit: str | None  # normalised unit; None when the text prints none
    implies_unit: bool  # `“100+”…平台`, `171万贫困人口`: the unit is the counted noun's
    before: str | None  # comparator word printed before the number
    after: str | None  # comparator word printed after it (`以上`, `左右`, `余`, `+`)
    words_end: int  # where the words before the number end: before `before`, or at `start`


@cache  # asked on every number: one string key, not the lexicon's three
def cue_words(kind: str) -> tuple[str, ...]:
    return words("target_cues", "kind", kind)


@cache
def trim_words(side: str) -> tuple[str, ...]:
    return words("indicator_trim", "side", side)


@cache
def comparator_words(position: str) -> tuple[str, ...]:
    return words("comparators", "position", position)


@cache
def indicator_trailing() -> tuple[str, ...]:
    """The words cut off the end of an indicator named before its value (`…提高到`)."""
    return trim_words("trailing") + comparator_words("before") + change_words()


@cache
def change_words() -> tuple[str, ...]:
    """The words of changes.csv, in its order."""
    return tuple(mapping("changes", "change"))


@cache
def indicator_verbs() -> tuple[str, ...]:
    """Those of `indicator_trailing` that are not a modifier mark (`的`)."""
    return tuple(w for w in indicator_trailing() if w not in cue_words("modifier"))


@cache
def unit_table() -> dict[str, str]:
    """Printed unit → normalised unit; money units map to their currency (CNY for 元, 万元 …),
    excluded words to ''."""
    units = dict(mapping("target_units", "unit"))
    units.update(mapping("money_units", "currency"))
    return units


@cache
def quantity_regex() -> re.Pattern[str]:
    """A number with its unit. A multiplier is read as such only where what follows is not a
    unit word that starts like one: `400万千瓦` is 400万 of 千瓦, `171万贫困人口` 171万 of a noun."""
    number = NUMBER
    units = trie_alternation(tuple(unit_table()))  # the regex tries it at every number
    unit = rf"{units}(?:[（(]{units}[）)])?"  # `套（间）`: a unit with its alternative
    dashes = alternation(words("connectors", "kind", "range"))
    after = alternation(tuple(w for w in comparator_words("after") if w != PLUS))
    inner = alternation(comparator_words("inner"))
    per_person = alternation(tuple(
        row["word"].lstrip("/") for row in rows_where("per_units", "position", "slash")
        if row["per"] == "person"
    ))
    return re.compile(
        rf"{NUMBER_AHEAD}{NUMBER_START}"
        rf"(?:(?P<low>{number})\s*(?P<low_mult>{MULTIPLIERS})\s*(?P<low_unit>{units})?\s*{dashes}\s*)?"
        rf"(?P<number>{number})\s*"
        rf"(?:(?P<mult>{MULTIPLIERS})(?=\s*(?:{inner})?\s*(?:{unit}))|(?P<bare_mult>{MULTIPLIERS}))"
        rf"\s*(?P<inner>{inner})?\s*"
        rf"(?:(?P<plus>\+)(?![0-9０-９A-Za-z])|(?P<unit>{unit}))?"
        rf"(?:\s*[/／]\s*(?P<per_person>{per_person}))?"
        rf"(?:\s*(?P<after>{after}))?"
        rf"(?:\s*[{QUOTES}])?"
    )


@cache
def quantity_screen() -> re.Pattern[str]:
    """What a text holding a quantity that `find_quantities` keeps holds: a number, its
    multipliers and an inner comparator (`余`), then the first character of a unit word, a `+`
    or a 万/亿 multiplier. Most texts hold none, and are not searched with `quantity_regex`."""
    inner = re.escape("".join(sorted({ch for word in comparator_words("inner") for ch in word})))
    ends = first_characters(tuple(unit_table())) + r"\+万亿"
    return re.compile(rf"[{NUMBER_FIRST}][{NUMBER_CHARS}{inner}]*?[{ends}]")


@cache
def not_goal_words(where: str) -> tuple[str, ...]:
    """The cue words that rule a value out, by where they stand: ending the words before it
    (`lead_end`), opening or ending the words after it (`rest_start`, `rest_end`) or in them
    (`rest`). A word tested with `str.startswith`/`str.endswith` is never empty, so that these
    answer as the lexicon lookups do."""
    if where == "rest":
        return cue_words("group_of") + cue_words("policy_parameter")
    found = {
        "lead_end": cue_words("ordinal_prefix") + trim_words("from_value"),
        "rest_start": cue_words("class_mark") + cue_words("policy_text"),
        "rest_end": cue_words("policy_text"),
    }[where]
    return tuple(word for word in found if word)


def compact(text: str) -> str:
    return "".join(text.split())


def unit_of(printed: str) -> str | None:
    """The unit written to the table for a printed unit: `套（间）` stays as printed when both
    its words are units."""
    table = unit_table()
    if printed in table:
        return table[printed]
    main, _, alternative = printed.replace("(", "（").partition("（")
    if table.get(main) and table.get(alternative.rstrip("）)")):
        return printed
    return table.get(main)


def value_of(number: str, mult: str, unit: str | None) -> float | None:
    return scaled(number, mult, mapping("money_units", "multiplier").get(unit or "", "1"))


def comparator_before(text: str, number_start: int) -> tuple[str | None, int]:
    """The comparator word printed just before a number, and where it starts."""
    left = max(0, number_start - 8)
    head = text[left:number_start].rstrip(" \t" + QUOTES)
    word = suffix_entry(head, comparator_words("before"))
    if word is None:
        return None, left + len(head)
    return word, left + len(head) - len(word)


def read_quantity(text: str, m: re.Match[str]) -> Quantity | None:
    """The quantity a match of `quantity_regex` prints; None for a number without a unit,
    printed or implied (most matches: `一批`, `2. 加强…`), so that those are dropped first."""
    g = m.groupdict()
    printed_unit = g["unit"]
    unit = unit_of(printed_unit) if printed_unit else None
    if unit == "":
        return None  # `3个月`: a duration or a count that is never a goal
    number = g["number"].strip()
    mult = g["mult"] if g["mult"] is not None else g["bare_mult"]
    implies_unit = unit is None and number[0].isdigit() and bool(g["plus"] or implies_count(mult))
    if unit is None and not implies_unit:
        return None
    if g["per_person"] and is_money(unit):
        unit = f"{unit}/person"
    high = value_of(g["number"], mult, printed_unit)
    if high is None or high < 0:
        return None
    start = m.start("number")
    low = high
    if g["low"]:
        low_unit = g["low_unit"] or printed_unit
        low = value_of(g["low"], g["low_mult"] or mult, low_unit)
        if low is None or low < 0:
            return None
        start = m.start("low")
    before, words_end = comparator_before(text, start)
    if not number[0].isdigit() and len(number) < 2 and not (
        before or mult or (number != "一" and unit and created_count(text, start))
    ):
        return None  # a lone Chinese digit is a word (`两个跨越`, `一批`), not a count
    after = g["after"] or g["inner"] or (PLUS if g["plus"] else None)
    return Quantity(
        start, m.end(), min(low, high), max(low, high), bool(g["low"]), unit, implies_unit,
        before, after, words_end,
    )


def created_count(text: str, number_start: int) -> bool:
    """`培育三家领军企业`, `建成十个示范园区`: a creating verb printed right before the number
    makes a lone Chinese digit a count (but not `一`: `打造一个…高地` is a phrase, nor a quoted
    slogan: `建设“三个一”平台`)."""
    head = text[max(0, number_start - 6) : number_start].rstrip(" \t")
    return suffix_entry(head, cue_words("production_verb")) is not None


def comparator_before_verb(lead: str) -> str | None:
    """`至少建成1个`: a bound printed before the creating verb that governs the count."""
    verb = suffix_entry(lead, cue_words("production_verb"))
    if verb is None:
        return None
    return suffix_entry(lead[: -len(verb)], comparator_words("before"))


def implies_count(mult: str) -> bool:
    """`171万贫困人口` counts the noun; in `110千伏` the 千 belongs to a unit word."""
    return "万" in mult or "亿" in mult  # numeral grammar, not a cue list


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(mapping("money_units", "currency").values())


def is_money(unit: str | None) -> bool:
    return (unit or "").split("/")[0] in currency_codes()


def is_count(unit: str | None) -> bool:
    return unit not in ("%", "pp") and not is_money(unit)


def opens_with_modifier(rest: str) -> bool:
    """`的物流企业`, but not `的增长`: a value followed by 的 qualifies the noun after it."""
    mark = prefix_entry(rest, cue_words("modifier"))
    return mark is not None and not rest[len(mark) :].startswith(cue_words("modifier_exception"))


def without_links(segment: str) -> str:
    """`、超100亿元的企业` → `超100亿元的企业`: a segment without the list word before it."""
    segment = segment.lstrip(" \t\n" + QUOTES)
    while link := prefix_entry(segment, words("connectors", "kind", "list")):
        segment = segment[len(link) :].lstrip(" \t\n" + QUOTES)
    return segment


def find_quantities(text: str) -> list[Quantity]:
    found: list[Quantity] = []
    first = quantity_screen().search(text)
    if first is None:
        return found
    # No match holds a full stop, so the search may begin after the last one before `first`:
    # no match before it can be kept, and none runs across it.
    for m in quantity_regex().finditer(text, text.rfind("。", 0, first.start()) + 1):
        unit, plus, mult, bare_mult = m.group("unit", "plus", "mult", "bare_mult")
        if unit is None and plus is None and not implies_count(bare_mult if mult is None else mult):
            continue  # most matches: a number without a unit, printed or implied (`一批`)
        quantity = read_quantity(text, m)
        if quantity is not None:
            found.append(quantity)
    return found


def implied_unit(noun: str) -> str:
    units = mapping("implied_units", "unit", key="head")
    for head in sorted(units, key=len, reverse=True):
        if head != "*" and head in noun:
            return units[head]
    return units["*"]


def list_groups(text: str, quantities: list[Quantity]) -> list[int]:
    """For each quantity, the index of the first item of the list it belongs to: values of
    one unit joined only by a list word (`70%和95%`, `90%、80%和50%`)."""
    first = list(range(len(quantities)))
    links = words("connectors", "kind", "list")
    for i in range(1, len(quantities)):
        left, right = quantities[i - 1], quantities[i]
        if left.unit == right.unit and compact(text[left.end : right.start]).strip(QUOTES) in links:
            first[i] = first[i - 1]
    return first


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Clauses without their closing punctuation; an unpunctuated run is cut every
    MAX_CLAUSE characters so that no look-around grows with the text."""
    spans: list[tuple[int, int]] = []
    start = 0
    for end in [m.start() for m in CLAUSE_END.finditer(text)] + [len(text)]:
        if end - start <= MAX_CLAUSE:
            spans.append((start, end))
        else:
            spans += [(a, min(a + MAX_CLAUSE, end)) for a in range(start, end, MAX_CLAUSE)]
        start = end + 1
    if spans[-1][0] == len(text):
        spans.pop()  # the text ends with a clause end: no clause after it
    return spans


def strip_words(text: str, leading: tuple[str, ...], trailing: tuple[str, ...]) -> str:
    """Remove `leading` words (and an aside after one: `新建（改造）`) from the front and
    `trailing` words from the end, repeatedly."""
    fringe = " \t" + QUOTES + "、，,"
    while True:
        before = text
        text = text.strip(fringe)
        if word := prefix_entry(text, leading):
            text = LEADING_ASIDE.sub("", text[len(word) :])
        if word := suffix_entry(text, trailing):
            text = text[: -len(word)]
        if text == before:
            return text


def without_start_value(name: str) -> str:
    """`高等教育毛入学率从53.4%` → `高等教育毛入学率`: the value a change starts from is no part
    of what is measured."""
    for word in trim_words("from_value"):
        at = name.rfind(word)
        if at > 0 and NUMBER_AHEAD_RE.match(name, at + len(word)):
            return name[:at]
    return name


def subject_of(indicator: str) -> str:
    """What an indicator measures before its comparison or rate words (`金融业增加值`)."""
    for pos in range(1, len(indicator)):
        if prefix_entry(indicator[pos:], trim_words("elided_subject")):
            return indicator[:pos]
    return strip_words(indicator, (), trim_words("rate_suffix"))


def clause_subject(clause: str) -> str:
    """The subject of a clause that states no value: the words before its first predicate."""
    for pos in range(1, len(clause)):
        if prefix_entry(clause[pos:], trim_words("predicate")):
            return clause[:pos]
    return ""


def split_modifier(noun: str) -> tuple[str, str]:
    """`特色鲜明的新经济示范企业` → (`特色鲜明`, `新经济示范企业`), at the last modifier mark."""
    cut = max((noun.rfind(mark) for mark in cue_words("modifier")), default=-1)
    if cut < 0:
        return "", noun
    mark = next(m for m in cue_words("modifier") if noun.startswith(m, cut))
    return noun[:cut], noun[cut + len(mark) :]


def without_description(noun: str) -> str:
    """`特色鲜明的新经济示范企业` → `新经济示范企业`: what is built, not how it is praised.

    A modifier holding a number is a defining threshold and stays (`5亿元以上的物流企业`), and
    so does one before a short head (`具有较强辐射带动效应的园区`)."""
    modifier, head = split_modifier(noun)
    if not modifier or len(head) < 4 or any(ch.isdigit() for ch in modifier):
        return noun
    return head


def is_share(q: Quantity, rest: str) -> bool:
    """`70%的规模以上工业企业完成数字化改造`: a share of a population, the noun after 的."""
    return q.unit == "%" and opens_with_modifier(rest)


def is_list_end(text: str) -> bool:
    return suffix_entry(compact(text).rstrip(QUOTES), words("connectors", "kind", "list")) is not None


class GoalReader:
    """Reads the goals of one text in order, remembering the indicator last named."""

    def __init__(self, text: str, quantities: list[Quantity], timeline: Timeline, amounts: list[dict],
                 reports: bool = False):
        self.text = text
        self.reports = reports  # an article reports: only a goal frame makes a goal
        self.timeline = timeline
        self.money_targets = [(a["start"], a["end"]) for a in amounts if a["role"] == "target"]
        self.quantities = quantities  # `find_quantities(text)`
        self.group = list_groups(text, self.quantities)
        self.paragraph_starts = [0] + [m.end() for m in PARAGRAPH_END.finditer(text)]
        self.indicators: list[str] = []  # those named so far in the current paragraph
        self.previous_goal_clause = -1
        self.previous_goal_end = -1
        self.previous_unit: str | None = None
        self.splits: dict[int, tuple[list[str], str] | None] = {}  # first of a `分别` list → its items

    # The clauses are cut when a quantity asks for them: most texts print none.
    @cached_property
    def clauses(self) -> list[tuple[int, int]]:
        return clause_spans(self.text)

    @cached_property
    def clause_starts(self) -> list[int]:
        return [start for start, _ in self.clauses]

    def clause_of(self, pos: int) -> int:
        return bisect.bisect_right(self.clause_starts, pos) - 1

    def read(self) -> list[dict]:
        goals = []
        paragraph = 0
        for i, q in enumerate(self.quantities):
            if is_money(q.unit) and not any(a <= q.start < b for a, b in self.money_targets):
                continue  # money granted, a threshold or a figure: the amounts table says which
            clause = self.clause_of(q.start)
            if (here := bisect.bisect_right(self.paragraph_starts, q.start)) != paragraph:
                paragraph, self.indicators = here, []  # no indicator is carried into a new paragraph
            goal = self.read_goal(i, q, clause)
            if goal is not None:
                goals.append(goal)
                if not goal["warning"]:
                    self.indicators.append(goal["indicator"])
                self.previous_goal_clause, self.previous_goal_end = clause, goal["end"]
                self.previous_unit = goal["unit"]
        return goals

    def read_goal(self, i: int, q: Quantity, clause: int) -> dict | None:
        text = self.text
        clause_start, clause_end = self.clauses[clause]
        words_end = q.words_end
        lead = text[clause_start:words_end]
        governed = holds_any(lead, cue_words("production_verb"))
        creates = governed and not self.reports  # `建成…平台10个` in an article is an achievement
        if not self.is_goal(q, text[q.end : clause_end], lead, creates):
            return None
        frame = self.timeline.at(q.start)
        noun = self.noun_span(i, q, clause_end)
        if noun is None:
            return None  # a count that qualifies a later noun: `3万人以上小城镇达到10平方米`
        seg_start = self.segment_start(clause, words_end)
        if noun[1] > noun[0]:
            noun_text = compact(text[noun[0] : noun[1]])
            indicator = without_description(noun_text) if governed else noun_text
            end = noun[1]
        else:
            noun_text = ""
            indicator = self.indicator_before(text[seg_start:words_end], clause, governed)
            if not governed and q.unit == self.previous_unit:
                indicator = self.with_place_subject(indicator, clause)
            end = q.end
        first, last = self.quantities[self.group[i]], self.last_of_group(i)
        lead_words = compact(text[seg_start:words_end])
        before = q.before or first.before or share_comparator(lead_words) or comparator_before_verb(lead_words)
        indicator = self.parallel_indicator(i, indicator, compact(text[clause_start:words_end]))
        warning = None
        if not indicator:  # `…的0%` after a value that is no goal: the clause says what is measured
            indicator = compact(text[clause_start:clause_end])
            warning = "no indicator could be read: the clause stands for it"
        return {
            "start": seg_start,
            "end": end,
            "text": compact(text[seg_start:end]),
            "indicator": indicator,
            "warning": warning,
            "year": frame.year,
            "value": None if q.is_range else q.high,
            "min_value": q.low,
            "max_value": q.high,
            "unit": q.unit or implied_unit(noun_text or lead_words),
            "comparator": comparator(before, q.after or last.after, q.is_range),
            "change": change(lead_words),
        }

    def parallel_indicator(self, i: int, indicator: str, lead: str) -> str:
        """`中心城区、县城和建制镇燃气普及率分别达到92%、75%、60%`: each value of a list after
        `分别` measures its own item of the parallel list before it (`县城燃气普及率`)."""
        if not holds_any(lead, words("connectors", "kind", "parallel")):
            return indicator
        members = [k for k, g in enumerate(self.group) if g == self.group[i]]
        if len(members) < 2:
            return indicator
        first = members[0]
        if first not in self.splits:
            self.splits[first] = parallel_split(indicator, len(members))
        split = self.splits[first]
        if split is None:
            return indicator
        items, shared = split
        return items[members.index(i)] + shared

    def last_of_group(self, i: int) -> Quantity:
        j = i
        while j + 1 < len(self.quantities) and self.group[j + 1] == self.group[i]:
            j += 1
        return self.quantities[j]

    def segment_start(self, clause: int, words_end: int) -> int:
        """Where the words naming a goal begin: the clause, or after the goal before it."""
        start = self.clauses[clause][0]
        if self.previous_goal_clause == clause:
            start = max(start, self.previous_goal_end)
        segment = self.text[start:words_end]
        return start + len(segment) - len(without_links(segment))

    def is_goal(self, q: Quantity, following: str, lead: str, governed: bool) -> bool:
        """The words around a value are read first: the time frame is asked for (and the text's
        timeline read) only when they do not already rule the value out."""
        # `第6位`; `从53.4%提高到63%`: where a change starts
        if lead.rstrip(" \t" + QUOTES).endswith(not_goal_words("lead_end")):
            return False
        rest = following.lstrip(" \t" + QUOTES)
        # `30万千瓦级煤电机组`: a class of things, not a count; `21条措施`: a count of the rules a
        # text sets, not of what they achieve
        if rest.startswith(not_goal_words("rest_start")) or rest.rstrip().endswith(not_goal_words("rest_end")):
            return False
        # `…的4个省份之一`: the group a thing belongs to; `按…的5%给予`, `对…455个项目给予支持`: a
        # grant's rate or recipients
        if holds_any(rest, not_goal_words("rest")) or holds_any(lead, cue_words("policy_lead")):
            return False
        if self.in_slogan(q):
            return False  # `“3个100万”`: numbers that name a programme
        if is_share(q, rest):
            mode = self.timeline.at(q.start).mode
            return mode != "past" and (mode == "goal" or governed)  # `70%的规模以上工业企业完成…`
        if opens_with_modifier(rest):
            return False  # `5亿元以上的物流企业`: a condition inside an indicator
        if prefix_entry(lead.lstrip(), cue_words("condition_opener")) and holds_any(rest, cue_words("modifier")):
            return False  # `对…低于3%且…的机构`: an eligibility condition
        mode = self.timeline.at(q.start).mode
        if mode == "past":
            return False  # a figure reported
        if mode == "goal" or governed:
            return True
        return q.before in cue_words("requirement") or (not self.reports and changes_to(lead))

    def in_slogan(self, q: Quantity) -> bool:
        """A quantity inside a short quotation that holds another number too (`“3个100万”`,
        `“1+2+4+N”`) names a programme; a quoted count alone (`“100+”`) is a count."""
        text = self.text
        opening = text.rfind("“", max(0, q.start - SLOGAN_MAX), q.start)
        closing = text.find("”", q.end - 1, q.end + SLOGAN_MAX)
        if opening < 0 or closing < 0 or "”" in text[opening:q.start]:
            return False
        quoted = text[opening + 1 : q.start] + text[q.end : closing]
        return any(ch.isdigit() for ch in quoted)

    def noun_span(self, i: int, q: Quantity, clause_end: int) -> tuple[int, int] | None:
        """The noun a count stands before (`打造30个区块链典型场景应用示范`).

        An empty span when the count ends its phrase (`…企业25家`); None when the noun leads
        on to another value, which the count then only qualifies."""
        text = self.text
        pos = q.end
        while pos < clause_end and text[pos] in " \t":
            pos += 1
        if is_share(q, text[pos:clause_end]):
            pos += len(prefix_entry(text[pos:clause_end], cue_words("modifier")) or "")
        elif not is_count(q.unit) or pos >= clause_end or not is_cjk(text[pos]) or is_list_end(
            text[pos]
        ):
            return pos, pos
        stop = clause_end
        if i + 1 < len(self.quantities) and self.quantities[i + 1].start < clause_end:
            nxt = self.quantities[i + 1]
            if not is_list_end(text[pos : nxt.start]):
                return None
            stop = nxt.start
        # The phrase opens with a CJK character, so only its end is trimmed.
        trimmed = strip_words(text[pos:stop], (), words("connectors", "kind", "list"))
        return pos, pos + len(trimmed)

    def indicator_before(self, segment: str, clause: int, governed: bool) -> str:
        """What is measured, from the words before the value, verbs and time phrases removed."""
        trailing, verbs = indicator_trailing(), indicator_verbs()
        core = strip_words(time_phrase_regex().sub("", compact(segment)), (), verbs)
        name = without_start_value(strip_words(core, trim_words("leading"), trailing))
        if not name:
            return self.indicators[-1] if self.indicators else ""
        if prefix_entry(name, trim_words("elided_subject")):
            return self.with_elided_subject(name, clause, core.endswith(cue_words("modifier")))
        for previous in reversed(self.indicators):
            if previous != name and previous.endswith(name):
                return previous  # `保费收入` after `全省保险机构保费收入`
        return without_description(name) if governed else name

    def with_place_subject(self, name: str, clause: int) -> str:
        """`中心城区燃气普及率达到90%、县城达到70%`: a clause naming only a place measures what
        the goal just before it measured, there (`县城燃气普及率`)."""
        places = trim_words("place")
        previous = self.indicators[-1] if self.indicators else None
        if not previous or self.previous_goal_clause < clause - 1 or suffix_entry(name, places) is None:
            return name
        if previous.endswith(name) or len(previous) <= len(name) and previous in name:
            return name
        prefix = prefix_entry(previous, places)
        measured = previous[len(prefix) :] if prefix else previous
        return name + measured if measured else name

    def with_elided_subject(self, name: str, clause: int, ends_with_modifier: bool) -> str:
        """`占GDP比重` after `金融业增加值…` → `金融业增加值占GDP比重`."""
        previous = self.indicators[-1] if self.indicators else None
        if previous and self.previous_goal_clause >= clause - 1:
            name = subject_of(previous) + name
            modifier, head = split_modifier(previous)
            if ends_with_modifier and modifier:
                name += cue_words("modifier")[0] + head
            return name
        if clause > 0:
            start, end = self.clauses[clause - 1]
            return clause_subject(compact(self.text[start:end])) + name
        return name


def comparator(before: str | None, after: str | None, is_range: bool) -> str:
    """The word after the value wins (`达到20%左右` is approx); a range is eq."""
    if is_range:
        return "eq"
    word = after or before
    return mapping("comparators", "comparator")[word] if word else "eq"


def share_comparator(lead: str) -> str | None:
    """`工业用地面积不低于出让总规模的30%`: the comparator of a share of another quantity."""
    if not lead.endswith(cue_words("modifier")):
        return None
    found = [(lead.rfind(w) + len(w), len(w), w) for w in comparator_words("before") if w in lead]
    return max(found)[2] if found else None  # the last one, and of two ending together the longer


def changes_to(lead: str) -> bool:
    """`将平均担保费率降至1%以下`: a value a level is to be brought to is a goal."""
    word = suffix_entry(compact(lead).rstrip(QUOTES), change_words())
    return word is not None and mapping("changes", "change")[word] == "level"


def change(lead: str) -> str:
    """`逐年递减` → decrease, `提高` → increase, `下降到` or anything else → level."""
    word = suffix_entry(
        strip_words(lead, (), comparator_words("before")), change_words()
    )
    return mapping("changes", "change")[word] if word else "level"


def extract_targets(
    text: str,
    *,
    doc_year: int | None = None,
    inherited_year: int | None = None,
    timeline: Timeline | None = None,
    amounts: list[dict] | None = None,
    reports: bool = False,
) -> list[dict]:
    """Every quantitative goal value in `text`, in text order.

    `reports` marks a text that reports rather than sets policy (an article): there a count a
    creating verb governs (`建成…平台10个`) is an achievement, and only a goal frame
    (`到2025年`, `力争`, `今后3年`) makes a value a goal.

    `doc_year` is the year the document was issued (a figure for an earlier year is a past
    figure); `inherited_year` is a deadline stated at the head of the enclosing section. A
    deadline stated at the head of `text` itself holds for all of it; any other year holds to
    the end of its paragraph, so separate paragraphs with `\\n`.

    A caller that has already read the item passes its `timeline`
    (`item_timeline(text, doc_year, inherited_year)`) and the `extract_amounts` of `text` on
    that timeline instead of the two years: a money value is a goal only where the amounts
    call it one, and each is then computed once.
    """
    quantities = find_quantities(text)
    if not quantities:
        return []  # most items: nothing else need be read
    if timeline is None:
        timeline = item_timeline(text, doc_year, inherited_year, reports)
    if amounts is None:
        amounts = extract_amounts(text, timeline=timeline, reports=reports)
    return GoalReader(text, quantities, timeline, amounts, reports).read()
