"""Monetary amounts (元, 万元, 亿元, 万亿元) in one item's text, with what each amount is.

`extract_amounts` finds every amount, Arabic, Chinese or mixed (`30亿元`, `五十万元`, `3亿余元`),
ranges (`100万—500万元`) and per-unit forms (`1000万元/年`, `60万元/人`), and reads from the
words around it its qualifier (`最高不超过` → max), period, unit of reference and role: a
subsidy, award or fund the text grants, an eligibility threshold, a goal, a reported figure.
All cue words come from `pipeline/lexicons/` (see its README).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from pipeline.extract.lexicon import alternation, longest_suffix, mapping, rows, rows_where, words
from pipeline.extract.numbers import ARABIC, CHINESE, MULTIPLIERS, NUMBER_AHEAD, scaled
from pipeline.extract.timeframe import Timeline, item_timeline

WINDOW = 120  # how far (characters) a clause or sentence is looked for around a mention
CLAUSE_END = re.compile(r"[，,；;。！？!?：:\n]")
SENTENCE_END = re.compile(r"[；;。！？!?\n]")
OPENING_QUOTES = " \t“\"‘'「『"


@dataclass(frozen=True, slots=True)
class Mention:
    """Where an amount stands and what its own words say."""

    start: int
    end: int
    number_start: int
    min_cny: float
    max_cny: float
    qualifier: str
    slash: str | None  # the word after `/` (`年`, `人`)
    bound_after: bool  # the qualifier is printed after the unit (`10亿元以上`)
    bound_before: bool = False  # the qualifier is a word printed before the number (`突破10亿元`)


def qualifier_words(position: str) -> tuple[str, ...]:
    return words("qualifiers", "position", position)


@cache
def money_regex() -> re.Pattern[str]:
    number = f"(?:{ARABIC}|{CHINESE})"
    units = alternation(tuple(mapping("money_units", "multiplier")))
    dashes = alternation(words("connectors", "kind", "range"))
    slash_words = tuple(
        row["word"][1:] for name in ("periods", "per_units") for row in rows(name)
        if row["position"] == "slash"
    )
    return re.compile(
        rf"{NUMBER_AHEAD}(?<![0-9A-Za-z.．０-９])"
        rf"(?:(?P<low>{number})\s*(?P<low_mult>{MULTIPLIERS})\s*(?P<low_unit>{units})?\s*{dashes}\s*)?"
        rf"(?P<number>{number})\s*(?P<mult>{MULTIPLIERS})\s*"
        rf"(?P<inner>{alternation(qualifier_words('inner'))})?\s*(?P<unit>{units})"
        rf"(?:\s*[/／]\s*(?P<slash>{alternation(slash_words)}))?"
        rf"(?:\s*(?P<after>{alternation(qualifier_words('after'))}))?"
    )


def plausible_number(printed: str) -> bool:
    """A lone Chinese digit before 元 is a word (`一元化`, `二元结构`), not an amount."""
    return printed[0].isdigit() or len(printed) > 1 or printed in "十百千"


def amount_value(number: str, mult: str, unit: str) -> float | None:
    return scaled(number, mult, mapping("money_units", "multiplier")[unit])


def qualifier_before(text: str, number_start: int) -> tuple[str | None, int]:
    """The qualifier word printed just before a number, and where the mention then starts."""
    left = max(0, number_start - 12)
    head = text[left:number_start].rstrip(OPENING_QUOTES)
    word = longest_suffix(head, qualifier_words("before"))
    if word is None:
        return None, number_start
    return word, left + len(head) - len(word)


def read_mention(text: str, m: re.Match[str]) -> Mention | None:
    number = m.group("number")
    if not plausible_number(number.strip()):
        return None
    high = amount_value(number, m.group("mult"), m.group("unit"))
    if high is None or high <= 0:
        return None
    low = high
    if m.group("low"):
        if m.group("low_unit"):  # `100万元—5亿元`
            low = amount_value(m.group("low"), m.group("low_mult"), m.group("low_unit"))
        else:  # `100—500万元`, `100万—500万元`: the unit, and a missing 万, are shared
            low_mult = m.group("low_mult") or m.group("mult")
            low = amount_value(m.group("low"), low_mult, m.group("unit"))
        if low is None or low <= 0:
            return None
        low, high = min(low, high), max(low, high)
    number_start = m.start("low") if m.group("low") else m.start("number")
    word, start = qualifier_before(text, number_start)
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
    return Mention(
        start, m.end(), number_start, low, high, qualifier, m.group("slash"), bool(m.group("after")),
        qualifier != "range" and not m.group("after") and not m.group("inner") and word is not None,
    )


def piece_bounds(text: str, start: int, end: int, pattern: re.Pattern[str]) -> tuple[int, int]:
    """The clause or sentence (per `pattern`) around [start, end), at most WINDOW each side."""
    left = max(0, start - WINDOW)
    before = [m.end() for m in pattern.finditer(text, left, start)]
    after = pattern.search(text, end, end + WINDOW)
    return (before[-1] if before else left), (after.start() if after else min(len(text), end + WINDOW))


def nearest_cue_before(context: str, lexicon: str, position: str, column: str) -> str | None:
    """The `column` value of the cue (of `position`) that ends nearest the end of `context`;
    of two ending at the same place, the longer."""
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
    immediate_after = words("roles", "position", "after_immediate")
    bounded_noun = mention.qualifier in ("min", "max") and mention.bound_after and is_cjk(after[:1])
    return bounded_noun or any(after.startswith(w) for w in immediate_after) or longest_suffix(
        before.rstrip(), words("roles", "position", "before_immediate")
    ) is not None


def is_cjk(ch: str) -> bool:
    return bool(ch) and ("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")


def grant_part(after: str) -> str:
    """The words after an amount up to a grant verb: `…万元以上的项目给予补助` names a condition,
    the 补助 is what the condition earns."""
    cut = min((at for w in words("roles", "position", "grant_verb") if (at := after.find(w)) >= 0),
              default=len(after))
    return after[:cut]


def classify_role(text: str, mention: Mention, timeline: Timeline, list_end: int) -> str:
    """The role, from the strongest evidence down: a grant named after the amount, an
    eligibility condition, a grant or fund cue earlier in the clause, the time frame (a past
    figure or a goal), a cue earlier in the sentence, the name of a reported quantity."""
    clause_start, clause_end = piece_bounds(text, mention.start, mention.end, CLAUSE_END)
    sentence_start, _ = piece_bounds(text, mention.start, mention.end, SENTENCE_END)
    granted = role_after(grant_part(text[mention.end : clause_end]))
    if granted:
        return granted
    if is_threshold(text, mention, clause_start, list_end):
        return "threshold"
    in_clause = nearest_cue_before(text[clause_start : mention.start], "roles", "before", "role")
    if in_clause:
        return in_clause
    frame = timeline.at(mention.number_start)
    if frame.mode == "past":
        return "statistic"
    if frame.mode == "goal":
        return "target"
    in_sentence = nearest_cue_before(text[sentence_start : clause_start], "roles", "before", "role")
    if in_sentence:
        return in_sentence
    context = text[clause_start:clause_end]
    if any(w in context for w in words("roles", "position", "fallback")):
        return "statistic"
    return "other"


def classify_period(text: str, mention: Mention) -> str | None:
    if mention.slash and (period := mapping("periods", "period").get("/" + mention.slash)):
        return period
    sentence_start, _ = piece_bounds(text, mention.start, mention.end, SENTENCE_END)
    context = text[sentence_start : mention.start]
    # `按其年度投资总额的5%给予…`: a cue before 给予 describes the base of a rate, unless it
    # qualifies 给予 itself (`一次性给予`).
    grant = max((context.rfind(w) for w in words("roles", "position", "grant_verb")), default=-1)
    best: tuple[int, str] | None = None
    for row in rows_where("periods", "position", "before"):
        at = context.rfind(row["word"])
        if at >= 0 and at + len(row["word"]) >= grant and (best is None or at > best[0]):
            best = (at, row["period"])
    if best:
        return best[1]
    _, clause_end = piece_bounds(text, mention.start, mention.end, CLAUSE_END)
    after = text[mention.end : clause_end]  # `给予最高50万元的一次性奖励`
    return next(
        (row["period"] for row in rows_where("periods", "position", "after") if row["word"] in after),
        None,
    )


def classify_per(text: str, mention: Mention, role: str) -> str | None:
    """The unit an amount is counted for: explicit (`/人`, `每家`), or the capped beneficiary."""
    if mention.slash and (per := mapping("per_units", "per").get("/" + mention.slash)):
        return per
    close_before = text[max(0, mention.start - 6) : mention.start]
    if per := nearest_cue_before(close_before, "per_units", "before", "per"):
        return per
    clause_start, clause_end = piece_bounds(text, mention.start, mention.end, CLAUSE_END)
    after = text[mention.end : clause_end]
    if role == "threshold" or (role in ("subsidy", "award") and mention.qualifier == "max"):
        for row in rows_where("per_units", "position", "beneficiary"):
            if row["word"] in after:
                return row["per"]
        sentence_start, _ = piece_bounds(text, mention.start, mention.end, SENTENCE_END)
        return nearest_cue_before(text[sentence_start : mention.start], "per_units", "beneficiary", "per")
    return None


def find_mentions(text: str) -> list[Mention]:
    found = []
    for m in money_regex().finditer(text):
        mention = read_mention(text, m)
        if mention is not None:
            found.append(mention)
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


def extract_amounts(
    text: str,
    *,
    doc_year: int | None = None,
    inherited_year: int | None = None,
    timeline: Timeline | None = None,
) -> list[dict]:
    """Every monetary amount in `text`, in text order.

    `doc_year` (the year the document was issued) and `inherited_year` (a deadline stated at
    the head of the enclosing section) let a goal be told from a reported figure; without
    `doc_year` a bare year (`2013年…`) is neither. Separate paragraphs with `\\n`. A caller
    that also extracts targets passes `item_timeline(text, doc_year, inherited_year)` as
    `timeline` instead of the two years, so that both read one timeline.
    """
    if timeline is None:
        timeline = item_timeline(text, doc_year, inherited_year)
    mentions = shared_qualifiers(text, find_mentions(text))
    amounts = []
    for mention, list_end in zip(mentions, list_ends(text, mentions)):
        role = classify_role(text, mention, timeline, list_end)
        amounts.append({
            "start": mention.start,
            "end": mention.end,
            "text": "".join(text[mention.start : mention.end].split()),
            "min_cny": mention.min_cny,
            "max_cny": mention.max_cny,
            "qualifier": mention.qualifier,
            "period": classify_period(text, mention),
            "per": classify_per(text, mention, role),
            "role": role,
        })
    return amounts
