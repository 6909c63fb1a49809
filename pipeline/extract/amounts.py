"""Monetary amounts (元, 万元, 亿元, 万亿元, and other currencies) in one item's text, with what
each amount is.

`extract_amounts` finds every amount, Arabic, Chinese, financial or mixed (`30亿元`, `五十万元`,
`壹佰万元`, `1亿2千万元`, `1,000.5万元`, `3亿余元`), ranges (`100万—500万元`), per-unit forms
(`1000万元/年`, `60万元/人`), a sign (`-100万元`) and a currency (`100万美元`, `美金500万元`,
`100万元港币`), and reads from the words around it its qualifier (`最高不超过` → max), period,
unit of reference, role (a subsidy, award or fund the text grants, a deduction, an eligibility
threshold, a goal, a reported figure), whether it is credit (a loan or a guarantee) and, in a
`分别` list, the item of the parallel list it goes with. All cue words come from
`pipeline/lexicons/` (see its README).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache

from pipeline.extract.lexicon import alternation, mapping, rows, rows_where, words
from pipeline.extract.literals import holds_any, may_match, prefix_entry, suffix_entry
from pipeline.extract.numbers import (
    MULTIPLIERS,
    NUMBER,
    NUMBER_AHEAD,
    NUMBER_AHEAD_RE,
    NUMBER_START,
    scaled,
)
from pipeline.extract.parallel import paired_items
from pipeline.extract.timeframe import Timeline, item_timeline

WINDOW = 120  # how far (characters) a clause or sentence is looked for around a mention
CLAUSE_END = re.compile(r"[，,；;。！？!?：:\n]")
SENTENCE_END = re.compile(r"[；;。！？!?\n]")
OPENING_QUOTES = " \t“\"‘'「『"
MINUS = "-－−"
YUAN = "CNY"
PROMISED = ("subsidy", "award", "fund")  # money a text grants, never money it reports
GRANT_REACH = 4  # how far after a period cue a grant word may stand (`一次性配套奖励`)
CREDIT_REACH = 10  # how far before an amount a credit word may name it (`单户担保金额500万元`)


@dataclass(frozen=True, slots=True)
class Mention:
    """Where an amount stands and what its own words say."""

    start: int
    end: int
    number_start: int
    low: float  # in the currency written
    high: float
    currency: str  # ISO 4217
    qualifier: str
    slashes: tuple[str, ...]  # the words after `/` (`年`, `人`)
    bound_after: bool  # the qualifier is printed after the unit (`10亿元以上`)
    bound_before: bool  # the qualifier is a word printed before the number (`突破10亿元`)
    clause: tuple[int, int]  # the clause around the mention (`piece_bounds`), asked for by every cue
    sentence: tuple[int, int]  # the sentence around it


@cache
def qualifier_words(position: str) -> tuple[str, ...]:
    return words("qualifiers", "position", position)


@cache
def unit_words() -> tuple[str, ...]:
    """Every unit word a per-unit amount may name after `/` or `每` (`吨`, `亩`, `台`, `人次`):
    the target unit words and those of per_units.csv."""
    found = {w for w, unit in mapping("target_units", "unit").items() if unit and not w.startswith(("%", "％"))}
    found |= {row["word"].lstrip("/") for row in rows("per_units") if row["position"] == "slash"}
    return tuple(sorted(found, key=lambda w: (-len(w), w)))


@cache
def money_regex() -> re.Pattern[str]:
    units = alternation(tuple(mapping("money_units", "multiplier")))
    dashes = alternation(words("connectors", "kind", "range"))
    slash_words = alternation(
        tuple(row["word"][1:] for row in rows("periods") if row["position"] == "slash") + unit_words()
    )
    currency_after = alternation(words("currencies", "position", "after"))
    return re.compile(
        rf"{NUMBER_AHEAD}{NUMBER_START}"
        rf"(?:(?P<low>{NUMBER})\s*(?P<low_mult>{MULTIPLIERS})\s*(?P<low_unit>{units})?\s*{dashes}\s*)?"
        rf"(?P<number>{NUMBER})\s*(?P<mult>{MULTIPLIERS})\s*"
        rf"(?P<inner>{alternation(qualifier_words('inner'))})?\s*(?P<unit>{units})"
        rf"(?:\s*(?P<currency>{currency_after}))?"
        rf"(?:\s*[/／]\s*(?P<slash>{slash_words}))?"
        rf"(?:\s*[/／]\s*(?P<slash2>{slash_words}))?"
        rf"(?:\s*(?P<after>{alternation(qualifier_words('after'))}))?"
    )


def plausible_number(printed: str) -> bool:
    """A lone Chinese digit before 元 is a word (`一元化`, `二元结构`), not an amount."""
    return printed[0].isdigit() or len(printed) > 1 or printed in "十百千拾佰仟"


def amount_value(number: str, mult: str, unit: str) -> float | None:
    return scaled(number, mult, mapping("money_units", "multiplier")[unit])


def qualifier_before(text: str, number_start: int) -> tuple[str | None, int]:
    """The qualifier word printed just before a number, and where the mention then starts
    (a word that only ends like a qualifier, `签约`, is none)."""
    left = max(0, number_start - 12)
    head = text[left:number_start].rstrip(OPENING_QUOTES)
    word = suffix_entry(head, qualifier_words("before"))
    if word is None or not mapping("qualifiers", "qualifier")[word]:
        return None, number_start
    return word, left + len(head) - len(word)


def currency_before(text: str, number_start: int) -> tuple[str | None, int]:
    """A currency word printed just before the number (`美金500万元`) and where it starts."""
    head = text[max(0, number_start - 4) : number_start]
    word = suffix_entry(head.rstrip(), words("currencies", "position", "before"))
    if word is None:
        return None, number_start
    return word, number_start - (len(head) - len(head.rstrip())) - len(word)


def has_sign(text: str, at: int) -> bool:
    """A minus printed right before `at`, not as the dash of a range or a date (`2014-`)."""
    if at == 0 or text[at - 1] not in MINUS:
        return False
    before = text[at - 2] if at >= 2 else ""
    return not before or not (before.isascii() and before.isalnum() or before in "万亿千百十元")


def read_mention(text: str, m: re.Match[str], clause_marks: list[int], sentence_marks: list[int]) -> Mention | None:
    number = m.group("number")
    if not plausible_number(number.strip()):
        return None
    unit = m.group("unit")
    high = amount_value(number, m.group("mult"), unit)
    if high is None:
        return None
    low = high
    if m.group("low"):
        if m.group("low_unit"):  # `100万元—5亿元`
            low = amount_value(m.group("low"), m.group("low_mult"), m.group("low_unit"))
        else:  # `100—500万元`, `100万—500万元`: the unit, and a missing 万, are shared
            low_mult = m.group("low_mult") or m.group("mult")
            low = amount_value(m.group("low"), low_mult, unit)
        if low is None:
            return None
        low, high = min(low, high), max(low, high)
    number_start = m.start("low") if m.group("low") else m.start("number")
    currencies = mapping("currencies", "currency")
    printed_before, start = currency_before(text, number_start)
    currency = mapping("money_units", "currency")[unit]
    if m.group("currency"):
        currency = currencies[m.group("currency")]
    elif printed_before:
        currency = currencies[printed_before]
    if has_sign(text, start) and not m.group("low"):
        low, high, start = -high, -low, start - 1
    if high == 0 and low == 0:
        return None  # `0元` is no money (`0元购`, a price of nothing)
    word, start = qualifier_before(text, start)
    qualifiers = mapping("qualifiers", "qualifier")
    if m.group("low"):
        qualifier = "range"
    elif m.group("after"):
        qualifier = qualifiers[m.group("after")]
    elif m.group("inner"):
        qualifier = qualifiers[m.group("inner")]
    elif word:
        qualifier = qualifiers[word]
    else:
        qualifier = "exact"
    slashes = tuple(s for s in (m.group("slash"), m.group("slash2")) if s)
    end = m.end()
    return Mention(
        start, end, number_start, low, high, currency, qualifier, slashes, bool(m.group("after")),
        qualifier != "range" and not m.group("after") and not m.group("inner") and word is not None,
        piece_bounds(len(text), start, end, clause_marks), piece_bounds(len(text), start, end, sentence_marks),
    )


def mark_positions(text: str, pattern: re.Pattern[str]) -> list[int]:
    """Where the one-character clause or sentence ends of `pattern` stand in `text`."""
    return [m.start() for m in pattern.finditer(text)]


def piece_bounds(length: int, start: int, end: int, marks: list[int]) -> tuple[int, int]:
    """The clause or sentence around [start, end) of a text of `length` characters whose ends
    stand at `marks` (`mark_positions`), at most WINDOW each side."""
    left = max(0, start - WINDOW)
    before = bisect.bisect_left(marks, start) - 1
    after = bisect.bisect_left(marks, end)
    return (
        marks[before] + 1 if before >= 0 and marks[before] >= left else left,
        marks[after] if after < len(marks) and marks[after] < end + WINDOW else min(length, end + WINDOW),
    )


def nearest_cue_before(context: str, lexicon: str, position: str, column: str) -> str | None:
    """The `column` value of the cue (of `position`) that ends nearest the end of `context`;
    of two ending at the same place, the longer."""
    if not holds_any(context, words(lexicon, "position", position)):
        return None
    best: tuple[int, str] | None = None
    for row in rows_where(lexicon, "position", position):
        at = context.rfind(row["word"])
        if at >= 0 and (best is None or at + len(row["word"]) > best[0]):
            best = (at + len(row["word"]), row[column])
    return best[1] if best else None


def role_after(after: str) -> str | None:
    """What the words after an amount name it: `…万元的补助`, `…万元资金奖励`, `…亿元基金`.

    A subsidy or award wins over the money it is paid from (`资金补助` is a subsidy); between
    a subsidy and an award the nearer word wins."""
    named = [
        (row["role"] == "fund", after.find(row["word"]), row["role"])
        for row in rows_where("roles", "position", "after")
        if row["word"] in after
    ]
    return min(named)[2] if named else None


def is_threshold(text: str, mention: Mention, clause_start: int, list_end: int) -> bool:
    """An eligibility condition: `…2000万元以上的`, `价值在100万元以上且…`, also for every
    item of a list (`突破10亿元、50亿元、100亿元的企业`); or a bound that qualifies the noun
    right after it (`年产值10亿元以上企业`)."""
    after = text[list_end : list_end + 4].lstrip()
    before = text[clause_start : mention.start]
    bounded_noun = mention.qualifier in ("min", "max") and mention.bound_after and is_cjk(after[:1])
    return bounded_noun or opens_condition(after) or suffix_entry(
        before.rstrip(), words("roles", "position", "before_immediate")
    ) is not None


def opens_condition(after: str) -> bool:
    """The words right after an amount make it a condition (`…以上的`, `…以上且`)."""
    return after.startswith(words("roles", "position", "after_immediate"))


def is_cjk(ch: str) -> bool:
    return bool(ch) and ("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")


def grant_start(context: str) -> int:
    """Where the last grant verb of `context` starts, with the adverbs before it (`分别给予`);
    -1 when there is none."""
    at = max((context.rfind(w) for w in words("roles", "position", "grant_verb")), default=-1)
    while at > 0 and (adverb := suffix_entry(context[:at], words("roles", "position", "grant_adverb"))):
        at -= len(adverb)
    return at


def grant_part(after: str) -> str:
    """The words after an amount up to a grant verb: `…万元以上的项目给予补助` names a condition,
    the 补助 is what the condition earns."""
    cut = min((at for w in words("roles", "position", "grant_verb") if (at := after.find(w)) >= 0),
              default=len(after))
    return after[:cut]


def in_condition_clause(text: str, mention: Mention, clause_start: int, clause_end: int) -> bool:
    """`可对单户担保金额500万元及以下、…的担保业务给予…`: a clause holding a condition word
    before the amount and a grant verb after a `的` that follows it."""
    lead = text[clause_start : mention.start]
    if not holds_any(lead, words("target_cues", "kind", "condition_opener")):
        return False
    after = text[mention.end : clause_end]
    condition = grant_part(after)
    return len(condition) < len(after) and holds_any(condition, words("target_cues", "kind", "modifier"))


def earns_something(text: str, clause_end: int, sentence_end: int) -> bool:
    """`项目资金投入500万元—5000万元，奖励投资额度的5%`: the clause after the amount opens with
    what a condition earns."""
    if clause_end >= sentence_end or text[clause_end] not in "，,":
        return False
    following = text[clause_end + 1 : sentence_end].lstrip(" \t")
    return prefix_entry(following, words("roles", "position", "consequence")) is not None


def grant_role(text: str, mention: Mention, timeline: Timeline, list_end: int) -> str:
    """The role the words around an amount give it, from the strongest evidence down: a
    condition marked right after it, a grant named after it, an eligibility condition, a cue
    earlier in the clause, the time frame (a past figure or a goal), a cue earlier in the
    sentence, the name of a reported quantity."""
    clause_start, clause_end = mention.clause
    sentence_start, sentence_end = mention.sentence
    if mention.bound_after and opens_condition(text[list_end : list_end + 4].lstrip()):
        return "threshold"
    after = text[mention.end : clause_end]
    condition = grant_part(after)
    # `按100元/吨给予补贴`: an amount right before the grant verb is what the grant pays
    granted = role_after(condition if condition.strip(" \t的") else after)
    if granted:
        return granted
    if is_threshold(text, mention, clause_start, list_end) or in_condition_clause(
        text, mention, clause_start, clause_end
    ):
        return "threshold"
    in_clause = nearest_cue_before(text[clause_start : mention.start], "roles", "before", "role")
    if in_clause:
        return in_clause
    if earns_something(text, clause_end, sentence_end):
        return "threshold"
    frame = timeline.at(mention.number_start)
    if frame.mode == "past":
        return "statistic"
    if frame.mode == "goal":
        return "target"
    in_sentence = nearest_cue_before(text[sentence_start : clause_start], "roles", "before", "role")
    if in_sentence:
        return in_sentence
    context = text[clause_start:clause_end]
    if holds_any(context, words("roles", "position", "fallback")):
        return "statistic"
    return "other"


def classify_role(text: str, mention: Mention, timeline: Timeline, list_end: int, reports: bool) -> str:
    """The role, where money a text reports never takes the role of money it grants: in a past
    time frame (`2013年…`, `过去一年`, a review section) every amount is a reported figure, and so is
    money an article or a report names outside a goal (`获得奖补资金8658万元`). Money taken back
    (`扣减…`, or a promised role for a negative amount) is a deduction."""
    role = grant_role(text, mention, timeline, list_end)
    frame = timeline.at(mention.number_start)
    dated_past = frame.mode == "past" and not frame.by_status  # a status cue may sit in a condition
    if dated_past or (reports and frame.mode != "goal" and role in PROMISED):
        return "statistic"
    clause_start, _ = mention.clause
    deducted = holds_any(text[clause_start : mention.start], words("roles", "role", "deduction"))
    if role in PROMISED and (mention.high < 0 or deducted):
        return "deduction"  # `扣减补助资金100万元`: the subsidy named is what is taken back
    return role


def credit_of(text: str, mention: Mention, role: str) -> str | None:
    """`loan` or `guarantee` for money lent or guaranteed (`单户担保金额500万元`, `贷款余额13万亿元`,
    `创业担保贷款最高30万元`): the credit word nearest before the amount in its clause (at most
    CREDIT_REACH characters before it: `贷款企业营业收入达到1亿元以上的` names no loan of 1亿元), or
    named right after it (`500万元的贷款`). Money paid on credit (`贷款贴息50万元`) is a subsidy,
    not credit."""
    if role in PROMISED:
        return None
    clause_start, clause_end = mention.clause
    lead = text[max(clause_start, mention.start - CREDIT_REACH) : mention.start]
    ends = [(at + len(row["word"]), len(row["word"]), row["credit"])
            for row in rows("credit") if (at := lead.rfind(row["word"])) >= 0]
    if ends:
        return max(ends)[2]  # the nearest; of two ending together, the longer (`再担保`)
    after = text[mention.end : clause_end][:6]
    named = [(after.find(row["word"]), row["credit"]) for row in rows("credit") if row["word"] in after]
    return min(named)[1] if named else None


def classify_period(text: str, mention: Mention) -> str | None:
    periods = mapping("periods", "period")
    for word in mention.slashes:
        if period := periods.get("/" + word):
            return period
    sentence_start, _ = mention.sentence
    context = text[sentence_start : mention.start]
    # `按其年度投资总额的5%给予…`: a cue before 给予 describes the base of a rate, unless it
    # qualifies 给予 itself (`一次性给予`, `一次性分别给予`).
    grant = grant_start(context)
    best: tuple[int, str] | None = None
    for position in ("before", "before_grant"):
        for row in rows_where("periods", "position", position):
            at = context.rfind(row["word"])
            if at < 0 or at + len(row["word"]) < grant or (best is not None and at <= best[0]):
                continue
            if position == "before_grant" and not qualifies_grant(context[at + len(row["word"]) :]):
                continue
            best = (at, row["period"])
    if best:
        return best[1]
    _, clause_end = mention.clause
    after = text[mention.end : clause_end]  # `给予最高50万元的一次性奖励`
    return next(
        (row["period"] for row in rows_where("periods", "position", "after") if row["word"] in after),
        None,
    )


def qualifies_grant(rest: str) -> bool:
    """`一次性给予`, `一次性分别给予`, `一次性配套奖励`, `一次性50万元`: the words right after a cue
    hold a grant or open with the amount itself, not with another verb (`一次性引进…`)."""
    rest = rest.lstrip(" \t")
    if not rest or NUMBER_AHEAD_RE.match(rest) or prefix_entry(rest, qualifier_words("before")):
        return True
    grants = words("roles", "position", "grant_verb") + words("roles", "position", "after") + words(
        "roles", "position", "before"
    )
    return holds_any(rest[:GRANT_REACH], grants)


def per_word(word: str) -> str:
    """A unit of reference as written after `/` or `每` → its name (`人` → person); a unit word
    without a name in per_units.csv is kept as written (`头`)."""
    return mapping("per_units", "per").get("/" + word, word)


def classify_per(text: str, mention: Mention, role: str) -> str | None:
    """The unit an amount is counted for: explicit (`/人`, `每家`, `每吨`), or the capped
    beneficiary."""
    periods = mapping("periods", "period")
    for word in mention.slashes:
        if "/" + word not in periods:
            return per_word(word)
    close_before = text[max(0, mention.start - 8) : mention.start]
    if per := nearest_cue_before(close_before, "per_units", "before", "per"):
        return per
    if (at := close_before.rfind("每")) >= 0 and (unit := prefix_entry(close_before[at + 1 :], unit_words())):
        return per_word(unit)
    after = text[mention.end : mention.clause[1]]
    if role == "threshold" or (role in ("subsidy", "award") and mention.qualifier == "max"):
        for row in rows_where("per_units", "position", "beneficiary"):
            if row["word"] in after:
                return row["per"]
        sentence_start, _ = mention.sentence
        return nearest_cue_before(text[sentence_start : mention.start], "per_units", "beneficiary", "per")
    return None


def find_mentions(text: str) -> list[Mention]:
    """Every amount; a match whose number does not parse (`300万 200万元` is no `1亿2千万`) is
    tried again one character on, so that the amount in it is still found."""
    found: list[Mention] = []
    pattern, pos = money_regex(), 0
    if not may_match(pattern, text):
        return found  # most items name no currency
    clause_marks, sentence_marks = mark_positions(text, CLAUSE_END), mark_positions(text, SENTENCE_END)
    while (m := pattern.search(text, pos)) is not None:
        mention = read_mention(text, m, clause_marks, sentence_marks)
        if mention is None:
            pos = m.start() + 1
            continue
        found.append(mention)
        pos = m.end()
    return found


def shared_qualifiers(text: str, mentions: list[Mention]) -> list[Mention]:
    """Items of a list share its bounds: an item printing no qualifier takes the word printed
    before the first item (`突破10亿元、50亿元` → both min, `最高100万元、50万元` → both max)."""
    connectors = words("connectors", "kind", "list")
    shared = list(mentions)
    for i in range(1, len(shared)):
        previous, mention = shared[i - 1], shared[i]
        if (
            mention.qualifier == "exact"
            and previous.bound_before
            and "".join(text[previous.end : mention.start].split()) in connectors
        ):
            shared[i] = replace(mention, qualifier=previous.qualifier, bound_before=True)
    return shared


def list_ends(text: str, mentions: list[Mention]) -> list[int]:
    """For each mention, where the list it is an item of ends (`100万元、50万元、30万元`)."""
    ends = [m.end for m in mentions]
    connectors = words("connectors", "kind", "list")
    for i in range(len(mentions) - 2, -1, -1):
        if "".join(text[mentions[i].end : mentions[i + 1].start].split()) in connectors:
            ends[i] = ends[i + 1]
    return ends


def pairings(text: str, mentions: list[Mention], ends: list[int]) -> list[str | None]:
    """For the amounts of a `分别` list (`对A、B、C分别给予100万元、50万元、30万元`), the item of
    the parallel list each goes with (`A`, `B`, `C`); None for every other amount."""
    paired: list[str | None] = [None] * len(mentions)
    i = 0
    while i < len(mentions):
        j = i
        while j + 1 < len(mentions) and ends[j + 1] == ends[i]:
            j += 1
        if j > i:
            sentence_start, _ = mentions[i].sentence
            items = paired_items(text[sentence_start : mentions[i].start], j - i + 1)
            if items:
                paired[i : j + 1] = items
        i = j + 1
    return paired


def extract_amounts(
    text: str,
    *,
    doc_year: int | None = None,
    inherited_year: int | None = None,
    timeline: Timeline | None = None,
    reports: bool = False,
) -> list[dict]:
    """Every monetary amount in `text`, in text order.

    `doc_year` (the year the document was issued) and `inherited_year` (a deadline stated at
    the head of the enclosing section) let a goal be told from a reported figure; without
    `doc_year` a bare year (`2013年…`) is neither. Separate paragraphs with `\\n`. A caller
    that also extracts targets passes `item_timeline(text, doc_year, inherited_year)` as
    `timeline` instead of the two years, so that both read one timeline. `reports` marks a
    text that reports rather than grants (an article): its money is a reported figure unless a
    goal frame makes it a target.

    `min_value`/`max_value` are in the currency written (`currency`, ISO 4217); `min_cny`/
    `max_cny` repeat them for yuan and are None for any other currency.
    """
    if timeline is None:
        timeline = item_timeline(text, doc_year, inherited_year, reports)
    mentions = shared_qualifiers(text, find_mentions(text))
    if not mentions:
        return []
    ends = list_ends(text, mentions)
    amounts = []
    for mention, list_end, paired_with in zip(mentions, ends, pairings(text, mentions, ends)):
        role = classify_role(text, mention, timeline, list_end, reports)
        yuan = mention.currency == YUAN
        amounts.append({
            "start": mention.start,
            "end": mention.end,
            "text": "".join(text[mention.start : mention.end].split()),
            "currency": mention.currency,
            "min_value": mention.low,
            "max_value": mention.high,
            "min_cny": mention.low if yuan else None,
            "max_cny": mention.high if yuan else None,
            "qualifier": mention.qualifier,
            "period": classify_period(text, mention),
            "per": classify_per(text, mention, role),
            "role": role,
            "credit": credit_of(text, mention, role),
            "paired_with": paired_with,
        })
    return amounts
