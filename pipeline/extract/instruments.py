"""Policy instruments of measures (Rothwell & Zegveld: supply / environment / demand).

A transparent cue lexicon decides the class. Every cue of `pipeline/lexicons/instrument_cues.csv`
found in a measure adds its weight to its (instrument, subtype); a cue found in the heading
counts HEADING_FACTOR times, because the heading states what the item makes happen; `context`
cues are looked for only in the headings the item stands under (基本原则, 注：, 名词解释). The highest
score wins, ties going to the class listed first in `instrument_codebook.csv`. The pseudo-class
`none` collects the cues of items that set out no instrument (guiding ideology, significance,
trends, current situation, preambles, transmittal paragraphs, attachment lists): the measure gets
no class when `none` wins, reaches NONE_DECISIVE, or nothing scores at all.
How to read and extend the lexicon: `pipeline/lexicons/README-instruments.md`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from operator import itemgetter

import ahocorasick
import ahocorasick_rs

from pipeline.extract.agencies import matching_close
from pipeline.extract.literals import LiteralIndex

Result = tuple[str | None, str | None, str | None]
_Class = tuple[str | None, str | None]
NO_CLASS: Result = (None, None, None)

HEADING_FACTOR = 3.0
# A cue repeated all over a long item should not drown the others: it counts at most this often.
MAX_HITS_PER_CUE = 3
# `none` wins outright from this score on: a heading such as 指导思想 or 发展现状, a preamble or a
# transmittal sentence settles it however many field words (金融, 物流) the paragraph holds.
NONE_DECISIVE = 10.0

NONE = "none"  # pseudo-class: the item sets out no instrument
IGNORE = "ignore"  # mask: a phrase that contains a cue but does not mean it (高质量, 金融办)
KINDS = ("word", "regex", "amount")
PLACES = ("any", "heading", "text", "context")
AMOUNT_ROLES = ("subsidy", "award", "fund", "threshold", "target", "statistic", "other")

# Responsibility clauses name agencies (省统计局, 科技厅, 省政府金融办) whose names would read
# as cues; they say who acts, not what the measure does, so they are cut before matching.
_CLAUSE_OPEN = re.compile(r"[(\[〔【](?:责任|牵头|配合|协办)(?:单位|部门):")
# A cue word right before 业/产业 names a sector (科技服务业, 电子商务产业, 5G产业): the field
# the document is about, not the instrument. 产业化, 业务, 业态 … do not name a sector.
_SECTOR_SUFFIX = re.compile(r"产业(?!化)|业(?![务态主绩内界余])")
_SECTOR_STARTS = frozenset("产业")


@dataclass(frozen=True, eq=False, slots=True)  # identity hash: cheap to count hits by
class _Cue:
    cls: _Class  # (None, None) for the `none` class
    rank: int  # the class's place in the codebook, `none` and `ignore` after every class: the
    # key scores are summed under (an int hashes faster than the class's tuple)
    cue: str
    kind: str
    where: str
    weight: float
    mask: bool = False


@dataclass(frozen=True)
class _Lexicon:
    words: ahocorasick.Automaton | None  # every word cue
    # the same words, leftmost-longest in a DFA: what `words.iter_long` finds in a text that
    # holds none of `_nesting_prefixes` (see `_longest_words`)
    longest: ahocorasick_rs.AhoCorasick | None
    word_list: list[str]  # the words, by their index: `words`' values, `longest`'s patterns
    # place → cues that count there of each word, by its index: an `ignore` word is in `words`
    # (the longest match wins) but has none
    cues_of_word: dict[str, list[tuple[_Cue, ...]]]
    regexes: dict[str, tuple[tuple[re.Pattern[str], tuple[_Cue]], ...]]  # place → regex cues
    # place → which of its regex cues a text may match, and whether it holds a nesting prefix
    regex_index: dict[str, LiteralIndex]
    by_role: dict[str, tuple[_Cue, ...]]
    classes: tuple[_Class, ...]  # rank → class: the codebook's, then (None, None) for `none`


# Full-width forms (，（）０-９) and the ideographic space, each with its NFKC form. Nearly
# every Chinese text holds them; folding them first leaves most texts NFKC already, and
# `unicodedata.normalize` is slow on a long text. The result is the same: a character replaced
# by its own NFKC form does not change the NFKC form of the text. The comma, brackets, colon
# and semicolon are all most texts hold: they are replaced without looking, and the others
# looked for only in a text still not NFKC then (a text holding one is not: they fold).
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_WIDE_FOLDED = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in [*range(0xFF01, 0xFF5F), 0x3000]}


def _normalise(text: str) -> str:
    # NFKC folds full-width brackets, commas and digits, so one spelling of a cue serves both.
    text = text.replace("\uff0c", ",").replace("\uff08", "(").replace("\uff09", ")").replace(
        "\uff1a", ":").replace("\uff1b", ";")
    if not unicodedata.is_normalized("NFKC", text):
        for wide in set(_WIDE.findall(text)):
            text = text.replace(wide, _WIDE_FOLDED[wide])
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return "".join(text.split())


def _read_lexicon(name: str) -> list[dict[str, str]]:
    with resources.files("pipeline.lexicons").joinpath(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _parse_cue(row: dict[str, str], line: int, codebook: list[_Class]) -> _Cue:
    def bad(why: str) -> ValueError:
        return ValueError(f"instrument_cues.csv line {line}: {why}")

    cls = (row["instrument"].strip(), row["subtype"].strip())
    kind = (row.get("kind") or "word").strip()
    where = (row.get("where") or "any").strip()
    cue = row["cue"].strip()
    if cls not in codebook and cls not in ((NONE, NONE), (IGNORE, IGNORE)):
        raise bad(f"{cls} is neither in the codebook nor none/ignore")
    if kind not in KINDS:
        raise bad(f"kind {kind!r} is not one of {KINDS}")
    if where not in PLACES:
        raise bad(f"where {where!r} is not one of {PLACES}")
    if not cue:
        raise bad("empty cue")
    if kind == "amount" and cue not in AMOUNT_ROLES:
        raise bad(f"amount role {cue!r} is not one of {AMOUNT_ROLES}")
    if kind == "regex":
        try:
            re.compile(cue)
        except re.error as exc:
            raise bad(f"bad regex {cue!r}: {exc}") from exc
    try:
        weight = float(row["weight"])
    except (TypeError, ValueError) as exc:
        raise bad(f"weight {row['weight']!r} is not a number") from exc
    mask = cls == (IGNORE, IGNORE)
    if mask and (weight != 0 or kind != "word"):
        raise bad("an ignore row is a word with weight 0")
    if not mask and weight <= 0:
        raise bad("weight must be positive")
    return _Cue(
        cls=(None, None) if cls == (NONE, NONE) else cls,
        rank=codebook.index(cls) if cls in codebook else len(codebook),
        cue=_normalise(cue) if kind == "word" else cue,
        kind=kind,
        where=where,
        weight=weight,
        mask=mask,
    )


@cache
def _lexicon() -> _Lexicon:
    codebook = [(r["instrument"], r["subtype"]) for r in _read_lexicon("instrument_codebook.csv")]
    # line 1 is the header
    cues = [_parse_cue(row, line, codebook)
            for line, row in enumerate(_read_lexicon("instrument_cues.csv"), start=2)]
    by_word: dict[str, list[_Cue]] = {}
    by_role: dict[str, list[_Cue]] = {}
    for cue in cues:
        if cue.kind == "word":
            by_word.setdefault(cue.cue, []).append(cue)
        elif cue.kind == "amount":
            by_role.setdefault(cue.cue, []).append(cue)
    words = longest = None
    word_list = list(by_word)
    if by_word:
        words = ahocorasick.Automaton()
        for i, word in enumerate(word_list):
            words.add_word(word, i)
        words.make_automaton()
        longest = ahocorasick_rs.AhoCorasick(word_list, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
                                             implementation=ahocorasick_rs.Implementation.DFA)
    nesting = _nesting_prefixes(words, word_list) if words is not None else set()
    # A `context` cue is looked for only in the item's context, and nothing else is.
    regexes = {place: tuple((re.compile(c.cue), (c,)) for c in cues if c.kind == "regex" and (
                   c.where == place or (c.where == "any" and place != "context")))
               for place in ("heading", "text", "context")}
    return _Lexicon(
        words=words,
        longest=longest,
        word_list=word_list,
        cues_of_word={place: [tuple(c for c in found if not c.mask and c.where in ("any", place) and (
                                  place != "context" or c.where == "context"))
                              for found in by_word.values()] for place in ("heading", "text", "context")},
        regexes=regexes,
        regex_index={place: LiteralIndex([p.pattern for p, _ in found], markers=sorted(nesting))
                     for place, found in regexes.items()},
        by_role={role: tuple(found) for role, found in by_role.items()},
        classes=(*codebook, (None, None)),
    )


def _nesting_prefixes(words: ahocorasick.Automaton, word_list: list[str]) -> set[str]:
    """The prefixes of a word that end with another word starting inside them and are no word
    themselves (发展改革 for 改革 in 发展改革委): where `words.iter_long` may differ from
    leftmost-longest matching (`_longest_words`)."""
    return {word[:end + 1] for word in word_list for end, inner in words.iter(word)
            if end + 1 > len(word_list[inner]) and word[:end + 1] not in words}


def _longest_words(part: str, nested: bool, lexicon: _Lexicon) -> list[tuple[int, int, int]]:
    """(index, start, end) of the words `lexicon.words.iter_long` finds in `part`, in order.

    `iter_long` walks the automaton and, where a longer word fails, follows failure links
    (or, one step before a failure, takes the failure node's word): in a text holding the
    prefix of a longer word with another word at its end (发展改革 in 发展改革委; a
    `_nesting_prefixes`), a word can be skipped or taken before the longest one. `nested`
    tells whether `part` holds one. When it does not, `iter_long` finds the leftmost-longest
    matches (tests/test_instruments.py compares the two on random texts), which a DFA
    finds faster.
    """
    if nested:
        word_list = lexicon.word_list
        return [(i, end + 1 - len(word_list[i]), end + 1) for end, i in lexicon.words.iter_long(part)]
    return lexicon.longest.find_matches_as_indexes(part)


def _without_clauses(text: str) -> str:
    if "单位:" not in text and "部门:" not in text:  # what every clause opening holds
        return text
    parts, pos = [], 0
    while match := _CLAUSE_OPEN.search(text, pos):
        parts.append(text[pos:match.start()])
        close = matching_close(text, match.start())  # nesting counted
        pos = len(text) if close is None else close + 1
    parts.append(text[pos:])
    return "".join(parts)


def _parts(heading: str | None, text: str) -> tuple[str, str]:
    """(heading, body); the heading is cut off the text it opens so that it counts once."""
    text = _normalise(text)
    head = _normalise(heading) if heading else ""
    body = text[len(head):] if head and text.startswith(head) else text
    return head, _without_clauses(body)


def _hits(part: str, place: str, lexicon: _Lexicon) -> list[tuple[int, str, tuple[_Cue, ...]]]:
    """(position, matched text, cues) of every cue allowed in `place` that occurs in `part`, in
    order of position; at one position, words before regexes, each in lexicon order."""
    if not part:
        return []
    candidates, nested = lexicon.regex_index[place].scan(part)
    found: list[tuple[int, str, tuple[_Cue, ...]]] = []
    if lexicon.words is not None:
        cues_of, word_list = lexicon.cues_of_word[place], lexicon.word_list
        # Leftmost-longest, without overlaps: at any position the longest cue wins
        # (公共服务平台 over 服务平台, 高质量 over 质量). The words come in order of position.
        # A cheap look at the next character before the suffix pattern (产业 or 业 start it).
        found = [(start, word_list[i], cues) for i, start, end in _longest_words(part, nested, lexicon)
                 if (cues := cues_of[i])
                 and not (part[end:end + 1] in _SECTOR_STARTS and _SECTOR_SUFFIX.match(part, end))]
    regexes = lexicon.regexes[place]
    matched = False
    for index in candidates:
        pattern, cues = regexes[index]
        left = MAX_HITS_PER_CUE  # a regex is one cue: its matches beyond these cannot count
        for m in pattern.finditer(part):
            start, end = m.span()
            if end > start:
                found.append((start, m.group(), cues))
                matched = True
                left -= 1
                if not left:
                    break
    if matched:  # stable: at one position, words before regexes, in lexicon order
        found.sort(key=itemgetter(0))
    return found


@lru_cache(maxsize=1024)  # an item's context is its siblings' too: the same few per document
def _context_hits(context: str) -> tuple[tuple[int, str, tuple[_Cue, ...]], ...]:
    """The `context` cues of the headings an item stands under (one a line)."""
    normalised = "\n".join(_normalise(line) for line in context.splitlines())
    return tuple(_hits(normalised, "context", _lexicon()))


def _scores(
    heading: str | None, text: str, amounts: list[dict], context: str = ""
) -> dict[int, tuple[float, dict[str, None]]]:
    """Score and evidence of every class that scores, by the class's rank (`_Lexicon.classes`);
    evidence in order of first appearance."""
    lexicon = _lexicon()
    head, body = _parts(heading, text)
    used: dict[_Cue, int] = {}  # hits counted so far (not a Counter: its missing-key hook is slow)
    scores: dict[int, float] = {}
    evidence: dict[int, dict[str, None]] = {}  # an ordered set: words in order of first appearance

    def add(hits: Iterable[tuple[int, str, tuple[_Cue, ...]]], factor: float) -> None:
        for _, word, cues in hits:
            for cue in cues:  # mostly one
                if cue in used:
                    if used[cue] == MAX_HITS_PER_CUE:
                        continue
                    used[cue] += 1
                else:
                    used[cue] = 1
                rank = cue.rank
                if rank in scores:
                    scores[rank] += cue.weight * factor
                    evidence[rank][word] = None
                else:
                    scores[rank] = cue.weight * factor
                    evidence[rank] = {word: None}

    if context:
        add(_context_hits(context), 1.0)
    add(_hits(head, "heading", lexicon), HEADING_FACTOR)
    add(_hits(body, "text", lexicon), 1.0)
    if amounts:
        add([(0, f"amount:{role}", lexicon.by_role[role]) for role in (amount.get("role") for amount in amounts)
             if role in lexicon.by_role], 1.0)
    return {rank: (score, evidence[rank]) for rank, score in scores.items()}


def classify_instrument(heading: str | None, text: str, amounts: list[dict], context: str = "") -> Result:
    """(instrument, instrument_subtype, evidence) of one leaf measure.

    `heading` is the item's short title (None when it has none), `text` the cleaned item text
    with the heading at its start, `amounts` its money mentions (dicts with at least `role`),
    `context` the headings it stands under (its enclosing items', a 注：/名词解释 section's),
    one per line: only `context` cues are looked for there (基本原则, 名词解释).
    `evidence` lists the cue words that made the winning class, `|`-separated in the order they
    appear (heading first, amounts last). All three are None when the item sets out no instrument.
    """
    scores = _scores(heading, text, amounts, context)
    if not scores:
        return NO_CLASS
    classes = _lexicon().classes
    none = len(classes) - 1  # `none`'s rank
    if none in scores and scores[none][0] >= NONE_DECISIVE:
        return NO_CLASS
    best, best_score = none, -1.0
    for rank, (score, _) in scores.items():  # the highest score; of equal ones, the class listed first
        if score > best_score or (score == best_score and rank < best):
            best, best_score = rank, score
    if best == none:
        return NO_CLASS
    instrument, subtype = classes[best]
    return instrument, subtype, "|".join(scores[best][1])


def aggregate_instrument(children: list[Result]) -> Result:
    """A parent item's class: the most frequent class among its children, ties to the first met.

    Evidence reads `children: 3/5 supply/technology` (children of that class / all children).
    """
    classes = [(instrument, subtype) for instrument, subtype, _ in children if instrument]
    if not classes:
        return NO_CLASS
    counts = Counter(classes)  # keeps first-occurrence order, and max() keeps the first maximum
    best = max(counts, key=lambda cls: counts[cls])
    label = "/".join(part for part in best if part)
    return best[0], best[1], f"children: {counts[best]}/{len(children)} {label}"
