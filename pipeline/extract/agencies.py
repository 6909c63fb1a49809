"""Responsibility clauses: find them, split their agency names, assign roles, resolve names.

Everything here is a pure function on strings; the word lists are data files in
`pipeline/lexicons/` (documented in `README-agencies.md`), loaded once:
`duty_words.csv` (labels, duty verbs, filler words), `generic_bodies.csv` (names that name no
particular body), `agency_name_parts.csv` (how names of bodies end), `places.csv` and the
registry of known bodies `agencies.csv`.

A clause is either
- a label form: `（责任单位：…）`, `〔牵头单位：A；配合单位：B〕`, or the same labels on lines of their
  own after an item (`牵头单位：A` / `配合单位：B`);
- a verb form: a bracket at the end of a sentence whose content is a list of bodies followed by
  a duty verb: `（A、B等负责）`, `（A牵头，B、C配合）`, `（A、B，各省级人民政府按职责分工负责）`.
Inside it, `、` (and `等和`, `和各` …) separates names within a group and `，`/`；` separate
groups: a document that says `逗号前为牵头单位` makes group 0 lead. The lead rule a document
states (`comma_lead`, `first_lead`) is read from the clauses and from the running text.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from pipeline.extract.deadlines import stated_deadline
from pipeline.extract.lexicon import rows

OPENING = "（(〔[【［"
CLOSING = "）)〕]】］"
GROUP_SEPARATORS = "，,；;。"
NAME_SEPARATORS = "、" + GROUP_SEPARATORS
SENTENCE_END = "。\n"
# What may stand just before a clause's opening bracket or just after its closing one for the
# bracket to close an item, a sentence or a paragraph (a verb-form clause must).
_ENDS_BEFORE = "。；;！？!?：:\n"
_ENDS_AFTER = "。；;，,！？!?\n"
# A label form starts a clause without a bracket only at the start of a paragraph or sentence.
_LINE_START = "。；;！？!?\n"

# The document's own lead rule, e.g. `逗号前为牵头单位，下同`, `列第一位者为牵头单位`.
_COMMA_LEAD = re.compile(r"(?:逗|分)号(?:之)?前(?:的|面的?)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)")
_FIRST_LEAD = re.compile(
    r"(?:排|列|位)?(?:名|在|于)?(?:第一(?:位|个|家)?|首位)(?:的|者)?(?:单位|部门)?(?:为|是)"
    r"牵头(?:单位|部门)"
    r"|牵头(?:单位|部门)(?:排|列)(?:在|于)?(?:第一位?|首位)"
)
_CARRIED = re.compile(r"下同")
# A label the lexicon does not know (`适用范围：`, `完成时限：`) ends the names of a clause.
_OTHER_LABEL = re.compile(r"[\u4e00-\u9fff]{2,8}\s*[：:]")
# Characters a name of a body is written with (`北京2022年冬奥会…`, `各市（州）人民政府`).
_NAME_CHARACTERS = re.compile(r"^[\u4e00-\u9fff0-9０-９（）()、]+$")
_LONGEST_NAME = 40
# `省发展改革委（牵头）`: a duty verb in brackets after a name.
_BRACKETED_TAIL = re.compile(r"[（(](?P<inside>[^（）()]{1,12})[）)]$")
_WHITESPACE = re.compile(r"\s+")
_BRACKET_ENDS = ("）", ")", "）\n", ")\n")  # the ends _BRACKETED_TAIL can match at
# The characters the scans below act on, found by regex rather than read one by one.
_OPENING_MARK = re.compile(f"[{re.escape(OPENING)}]")
_BRACKET_MARK = re.compile(f"[{re.escape(OPENING + CLOSING)}]")
_SENTENCE_MARK = re.compile(f"[{re.escape(OPENING + CLOSING + SENTENCE_END)}]")

# A piece that is only a place (`成都市`, `凉山州`, `各市（州）`) borrows the suffix of the
# next full name in its group: `成都市、绵阳市人民政府`.
_TERMINALS = "省市州县区旗盟"
_BARE_PLACE = re.compile(
    rf"^(?:各|相关|有关)?[\u4e00-\u9fff]{{0,10}}?[{_TERMINALS}]"
    r"(?:[（(][^（）()]*[）)])?$"
)

LEVELS = ("national", "provincial", "municipal", "county", "other")
# How far up the administrative ladder a level sits; `other` bodies are not ranked.
_LEVEL_RANK = {"national": 4, "provincial": 3, "municipal": 2, "county": 1}
# Prefixes that name a body relative to the issuer's own jurisdiction: 省X厅, 市X局, 县X局.
_RELATIVE_PREFIX = {"省": "provincial", "市": "municipal", "县": "county", "区": "county"}
_NOT_RELATIVE = ("市场", "区域", "县域")  # words that merely start with 市, 区, 县
# A class of bodies named by its level: 各省级人民政府, 各市（州）人民政府, 各县市区政府.
_CLASS_LEVEL = re.compile(r"^(?:各|有关|相关|各有关|各相关)(?:设区的?)?(?P<level>省|市|县)")
_NATIONAL_PREFIX = re.compile(r"^(?:国家|国务院|中国|中华人民共和国|中共中央|中央|全国|人民银行|人行)")
_NAMED_PLACE = re.compile(
    r"^(?!各|相关|有关)(?P<place>[\u4e00-\u9fff]{2,7}?(?:省|自治区|市|自治州|州|县|区))")
_PLACE_TYPE = re.compile(r"(?:[\u4e00-\u9fff]族)*自治[州县区]$|特别行政区$|[省市州县区]$")
_VAGUE_PREFIXES = ("各", "相关", "有关")
# How the jurisdiction of a document issued by the State Council may be written.
NATIONAL_JURISDICTIONS = ("中华人民共和国", "全国", "中国", "国家")


# ---------------------------------------------------------------------------------------------
# Lexicons


def _words(name: str, kind: str, column: str = "kind") -> dict[str, str | None]:
    """word → the third column (role or level; None when empty) of the rows of one kind."""
    return {row["word"]: (row.get("role") or row.get("level") or None)
            for row in rows(name) if row[column] == kind}


def _alternation(words) -> str:
    """A regex group matching any of `words`, longest first (the longest wins)."""
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w) for w in ordered) + ")" if ordered else "(?!)"


class Endings:
    """Words a text may end with, looked up by length instead of tried one by one: what
    `(?:w1|w2|…)$` finds with `search`, the longest word first (`$` reads past one final line
    break)."""

    def __init__(self, words) -> None:
        self.words = frozenset(words)
        if any(not word or "\n" in word for word in self.words):
            raise ValueError("an ending word is empty or holds a line break")
        self.lengths = tuple(sorted({len(word) for word in self.words}, reverse=True))

    def ending(self, text: str) -> tuple[int, str] | None:
        """(where it starts, the word) of the longest word `text` ends with, or None."""
        size = len(text) - text.endswith("\n")
        for length in self.lengths:
            if length <= size and (word := text[size - length:size]) in self.words:
                return size - length, word
        return None


@cache
def labels() -> dict[str, str | None]:
    """Labels that open a clause (`责任单位`, `牵头单位` …) → the role they give (or None)."""
    return _words("duty_words", "label")


@cache
def duty_verbs() -> dict[str, str | None]:
    """Duty verbs (`负责`, `牵头`, `配合` …) → the role they state (or None)."""
    return _words("duty_words", "verb")


@cache
def time_words() -> dict[str, str | None]:
    """Words that say when, not who (`持续推进`): a piece of a clause made of one is skipped."""
    return _words("duty_words", "time")


@cache
def _label_head() -> re.Pattern:
    """A label followed by its colon; whitespace may stand between the characters."""
    ordered = sorted(labels(), key=lambda w: (-len(w), w))
    words = "|".join(r"\s*".join(map(re.escape, word)) for word in ordered)
    return re.compile(rf"(?P<kw>{words})\s*[：:]")


@cache
def _tail_patterns() -> tuple[Endings, Endings, re.Pattern]:
    """What ends a piece: a duty verb, a filler word, and a regex for `等` + a generic body."""
    et_cetera = re.compile(rf"等(?:{_generic_body()})?$")
    return Endings(duty_verbs()), Endings(_words("duty_words", "filler")), et_cetera


@cache
def _generic_body() -> str:
    """A regex for a name made only of vague words: `有关部门`, `各有关部门和单位`, `各地区各部门`."""
    prefix = _alternation(_words("generic_bodies", "prefix", "part"))
    head = _alternation(_words("generic_bodies", "head", "part"))
    return rf"(?:{prefix}*{head}(?:和|及|与|、)?)+"


@cache
def _generic_pattern() -> re.Pattern:
    return re.compile(rf"^{_generic_body()}$")


@cache
def _level_class_pattern() -> re.Pattern:
    """A generic name after a word naming a level: `国务院有关部门`, `省直有关单位`."""
    level = _alternation(_words("generic_bodies", "level", "part"))
    return re.compile(rf"^{level}(?P<generic>.+)$")


@cache
def _name_parts() -> dict[str, dict[str, str | None]]:
    """`agency_name_parts.csv` by kind: ending → level hint, local_office, not_in_name, phrase."""
    parts: dict[str, dict[str, str | None]] = {}
    for row in rows("agency_name_parts"):
        parts.setdefault(row["kind"], {})[row["word"]] = row["level"] or None
    return parts


@cache
def _endings() -> Endings:
    return Endings(_name_parts()["ending"])


@cache
def _local_offices() -> Endings:
    return Endings(_name_parts()["local_office"])


@cache
def _not_in_name_pattern() -> re.Pattern:
    return re.compile(_alternation(_name_parts()["not_in_name"]))


@cache
def _list_marks() -> re.Pattern:
    """What `_pieces` acts on in a list: a phrase whose `、` does not separate names
    (`各省、自治区、直辖市人民政府`), tried first, else a bracket or a separator."""
    phrase = _alternation(_name_parts().get("phrase", {}))
    return re.compile(f"(?P<phrase>{phrase})|[{re.escape(OPENING + CLOSING + NAME_SEPARATORS)}]")


@cache
def places() -> dict[str, dict[str, str | None]]:
    """`places.csv`: place → {level, parent, short}."""
    return {row["place"]: {"level": row["level"], "parent": row["parent"] or None,
                           "short": row["short"] or None}
            for row in rows("places")}


@cache
def _short_place_names() -> tuple[re.Pattern, dict[str, str]]:
    """A regex for the short forms of the places of `places.csv` (`浙江`, `新疆`), and the place
    each stands for."""
    shorts = {info["short"]: place for place, info in places().items() if info["short"]}
    return re.compile("^" + _alternation(shorts)), shorts


def named_place(key: str) -> str | None:
    """The place a name starts with: a place with its ending (`绵阳市…`, `凉山彝族自治州…`) or,
    before an office name, a known place by its short form (`浙江银保监局` → 浙江省)."""
    if named := _NAMED_PLACE.match(key):
        return named.group("place")
    pattern, shorts = _short_place_names()
    if (short := pattern.match(key)) and _local_offices().ending(key):
        return shorts[short.group()]
    return None


@lru_cache(maxsize=8192)  # names recur: the same bodies are named in item after item
def is_generic(name: str) -> bool:
    """Whether a name names no particular body (`有关部门`, `各有关部门和单位`)."""
    return bool(_generic_pattern().match(normalise(name)))


@lru_cache(maxsize=8192)  # names recur: the same bodies are named in item after item
def looks_like_agency(name: str) -> bool:
    """Whether a name ends the way names of bodies end (局, 委, 办, 政府, 管委会, 公司 …)."""
    return _endings().ending(name) is not None


def names_a_level(name: str) -> bool:
    """Whether a name is a class of bodies named by its level: `国务院有关部门`, `省直有关单位`."""
    level_class = _level_class_pattern().match(normalise(name))
    return bool(level_class) and is_generic(level_class.group("generic"))


def body_shaped(name: str) -> bool:
    """Whether `name` can be the name of a body: written with the characters names use, no
    word of running text (`由`, `的`), and ending like a body's name, naming a class of bodies
    by its level or known to the registry."""
    return (bool(_NAME_CHARACTERS.match(name)) and 2 <= len(name) <= _LONGEST_NAME
            and not _not_in_name_pattern().search(name)
            and (looks_like_agency(name) or names_a_level(name) or normalise(name) in _index()))


# ---------------------------------------------------------------------------------------------
# Finding clauses and names


def find_clauses(text: str) -> list[dict]:
    """Every responsibility clause in the cleaned text of one item, in order.

    `text` may hold line breaks between the item's paragraphs. Each clause: `start`, `end`
    (span in `text`; a label clause whose bracket never closes ends with its sentence), `form`
    ("label" or "verb"), `rule` (None, "comma_lead" or "first_lead" when the clause states
    one), `rule_scope` ("document" when it says 下同, else "clause", None without a rule) and
    `names`: [{mention, start, end, group, stated_role, duty}] (see `split_names`).
    """
    clauses = []
    position = 0
    labelled = "：" in text or ":" in text  # every label ends in a colon
    while position < len(text):
        opening = _next_opening(text, position)
        label = _next_line_label(text, position, opening) if labelled else None
        if label is not None:
            clause = _label_clause(text, label)
        elif opening is None:
            break
        else:
            close = matching_close(text, opening)
            clause = _bracket_clause(text, opening, close)
            if clause is None:
                position = close + 1 if close is not None else opening + 1
                continue
        if clause["names"]:  # a label naming generic bodies only is no clause
            clauses.append(clause)
        position = max(clause["end"], position + 1)
    return clauses


def _next_opening(text: str, start: int) -> int | None:
    opening = _OPENING_MARK.search(text, start)
    return opening.start() if opening else None


def _next_line_label(text: str, start: int, before: int | None) -> re.Match | None:
    """The first label at the start of a paragraph or sentence in text[start:before]."""
    end = len(text) if before is None else before
    for match in _label_head().finditer(text, start, end):
        preceding = _char_before(text, match.start())
        if preceding is None or preceding in _LINE_START:
            return match
    return None


def _char_before(text: str, index: int) -> str | None:
    """The last character before `index` that is not a space (a line break counts), or None."""
    while index > 0 and text[index - 1] in " \t\u3000":
        index -= 1
    return text[index - 1] if index > 0 else None


def _char_after(text: str, index: int) -> str | None:
    """The first character from `index` on that is not a space (a line break counts), or None."""
    while index < len(text) and text[index] in " \t\u3000":
        index += 1
    return text[index] if index < len(text) else None


def _bracket_clause(text: str, opening: int, close: int | None) -> dict | None:
    """The clause a bracket holds, or None when it is not one."""
    inner = opening + 1
    while inner < len(text) and text[inner].isspace():
        inner += 1
    if label := _label_head().match(text, inner):
        return _label_clause(text, label, opening, close)
    if close is None or not _closes_a_sentence(text, opening, close):
        return None
    return _verb_clause(text, opening, close)


def _closes_a_sentence(text: str, opening: int, close: int) -> bool:
    """Whether the bracket stands at the end of an item, a sentence or a paragraph."""
    before, after = _char_before(text, opening), _char_after(text, close + 1)
    return before is None or before in _ENDS_BEFORE or after is None or after in _ENDS_AFTER


def _label_clause(text: str, head: re.Match, opening: int | None = None,
                  close: int | None = None) -> dict:
    """A label clause from its first label: in a bracket (opening at `opening`) up to `close`
    (a bracket that never closes: to the end of the sentence), else up to the end of its
    sentence and on through the label lines that follow it (`牵头单位：A` / `配合单位：B`)."""
    if close is not None:
        content_end, end = close, close + 1
    else:
        content_end = end = _sentence_end(text, head.end())
    sections = []
    keyword, start = head.group("kw"), head.end()
    while True:
        nxt = _label_head().search(text, start, content_end)
        sections.append((keyword, start, nxt.start() if nxt else content_end))
        if nxt:
            keyword, start = nxt.group("kw"), nxt.end()
            continue
        following = None if opening is not None else _following_label_line(text, content_end)
        if following is None:
            break
        keyword, start = following.group("kw"), following.end()
        content_end = end = _sentence_end(text, start)
    leads = any(_label_role(kw) == "lead" for kw, _, _ in sections)
    names: list[dict] = []
    rule = scope = None
    for keyword, section_start, section_end in sections:
        section_end = _before_other_label(text, section_start, section_end)
        section_text = text[section_start:section_end]
        if stated := _stated_rule(section_text):
            rule, scope = stated
        role = _label_role(keyword)
        if role is None and leads:
            role = "support"  # 责任单位 beside a 牵头单位: the bodies that carry it out with it
        names += split_names(section_text, offset=section_start, role=role)
    return {"start": head.start() if opening is None else opening, "end": end, "form": "label",
            "rule": rule, "rule_scope": scope, "names": names}


@lru_cache(maxsize=256)  # a handful of labels, written with or without spaces
def _label_role(keyword: str) -> str | None:
    """The role a label as printed (`牵头单位`, `牵 头 单 位`) gives its names, or None."""
    return labels().get(_WHITESPACE.sub("", keyword))


def _following_label_line(text: str, end: int) -> re.Match | None:
    """A label that opens the next sentence or paragraph right after `end`."""
    position = end
    while position < len(text) and (text[position].isspace() or text[position] in "。；;"):
        position += 1
    return _label_head().match(text, position) if position > end else None


def _before_other_label(text: str, start: int, end: int) -> int:
    """Where a label the lexicon does not know (`适用范围：`) cuts the names of a section."""
    if text.find("：", start, end) < 0 and text.find(":", start, end) < 0:
        return end  # every label ends in a colon
    depth = 0
    for index in range(start, end):
        char = text[index]
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0 and (index == start or text[index - 1] in NAME_SEPARATORS):
            if _OTHER_LABEL.match(text, index, end):
                return index
    return end


def _verb_clause(text: str, opening: int, close: int) -> dict | None:
    """A bracket whose content is a list of bodies followed by a duty verb, or None."""
    pieces, rule, scope = [], None, None
    for piece in _read_pieces(text[opening + 1:_before_other_label(text, opening + 1, close)]):
        reading = piece[3]
        if isinstance(reading, _Name):
            pieces.append(piece)
        elif reading.rule:
            rule, scope = reading.rule, reading.scope
        else:  # 下同
            scope = "document"
    if not any(piece[3].duty for piece in pieces):
        return None
    names = _finish_names(pieces, opening + 1)
    if not all(is_generic(name["mention"]) or body_shaped(name["mention"]) for name in names):
        return None
    names = [name for name in names if not is_generic(name["mention"])]
    if not names:
        return None
    return {"start": opening, "end": close + 1, "form": "verb", "rule": rule,
            "rule_scope": scope if rule else None, "names": names}


def _sentence_end(text: str, start: int) -> int:
    """Where an unbracketed clause ends: 。, a line break or an unmatched closing bracket."""
    depth = 0
    for mark in _SENTENCE_MARK.finditer(text, start):
        char = mark.group()
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            if depth == 0:
                return mark.start()
            depth -= 1
        elif depth == 0:
            return mark.start()
    return len(text)


def matching_close(text: str, open_at: int) -> int | None:
    """Index of the bracket closing the one at `open_at`, or None when the text ends first."""
    depth = 0
    for mark in _BRACKET_MARK.finditer(text, open_at):
        if mark.group() in OPENING:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return mark.start()
    return None


def _stated_rule(section: str) -> tuple[str, str] | None:
    """The lead rule a text states, with its scope ("document" when it says 下同)."""
    if "牵" not in section:
        return None  # every rule names the lead (牵头)
    compact = _WHITESPACE.sub("", section)
    if "牵头" not in compact:
        return None
    scope = "document" if _CARRIED.search(compact) else "clause"
    if _COMMA_LEAD.search(compact):
        return "comma_lead", scope
    if _FIRST_LEAD.search(compact):
        return "first_lead", scope
    return None


def running_rules(text: str, clauses: list[dict]) -> list[tuple[int, str]]:
    """(position, rule) of every lead rule the text states outside its clauses
    (`以下各项任务，列第一位者为牵头单位`): it holds from there to the end of the document."""
    found: list[tuple[int, str]] = []
    if "牵头" not in text:
        return found  # every rule names the lead
    for pattern, rule in ((_COMMA_LEAD, "comma_lead"), (_FIRST_LEAD, "first_lead")):
        for match in pattern.finditer(text):
            if not any(c["start"] <= match.start() < c["end"] for c in clauses):
                found.append((match.start(), rule))
    return sorted(found)


def split_names(content: str, offset: int = 0, role: str | None = None) -> list[dict]:
    """The agency names in a list such as `科技厅，省发展改革委、经济和信息化厅`.

    Each name: `mention` (as written, whitespace removed, shared suffix expanded), `start`,
    `end` (span of the written part, shifted by `offset`), `group` (0-based index of the
    comma-separated group), `stated_role` ("lead"/"support" when the text marks the name with
    牵头/配合…, else None) and `duty` (the duty verb printed after it, else None). Separators
    inside brackets (`县（市、区）`) do not split; rule sentences (`逗号前为牵头单位`, `下同`),
    filler words (`等`, `按照职责分工负责`) and generic bodies (`有关部门`) are dropped.
    `role` is the stated role of a name the text does not mark (a label's, `牵头单位：`).
    """
    return [{"mention": mention, "start": start + offset, "end": end + offset, "group": group,
             "stated_role": stated or role, "duty": duty}
            for mention, start, end, group, stated, duty in _names_of_list(content)]


@lru_cache(maxsize=4096)  # lists recur: the same bodies are named in item after item
def _names_of_list(content: str) -> tuple[tuple[str, int, int, int, str | None, str | None], ...]:
    """`split_names(content)` as tuples (mention, start, end, group, stated_role, duty): what a
    list names does not depend on where it stands, only the spans are shifted."""
    pieces = [piece for piece in _read_pieces(content)
              if isinstance(piece[3], _Name) and _written_as_a_name(piece[3].mention)]
    return tuple((name["mention"], name["start"], name["end"], name["group"], name["stated_role"],
                  name["duty"])
                 for name in _finish_names(pieces, 0) if not is_generic(name["mention"]))


@lru_cache(maxsize=8192)  # names recur: the same bodies are named in item after item
def _written_as_a_name(mention: str) -> bool:
    """Written with the characters names use and no word of running text (`由`, `的`)."""
    return bool(_NAME_CHARACTERS.match(mention)) and not _not_in_name_pattern().search(mention)


def _finish_names(pieces: list[tuple[int, int, int, _Name]], offset: int) -> list[dict]:
    """Names with verbs shared across their group, suffixes expanded, spans shifted."""
    names = [{"mention": name.mention, "start": start + offset, "end": end + offset,
              "group": group, "stated_role": name.role, "duty": name.duty}
             for group, start, end, name in pieces]
    return _expand_shared_suffixes(_share_verbs(names))


def _share_verbs(names: list[dict]) -> list[dict]:
    """`省发展改革委、财政厅牵头`: the verb after a group's last name holds for the group; a
    group printing no verb takes the next group's when that states no role
    (`A、B，各省级人民政府按职责分工负责`)."""
    shared = []
    in_group: tuple[int, str | None, str | None] | None = None  # (group, duty, role)
    neutral: str | None = None
    for name in reversed(names):
        if name["duty"] is not None:
            in_group = (name["group"], name["duty"], name["stated_role"])
            shared.append(name)
            neutral = name["duty"] if name["stated_role"] is None else None
            continue
        if in_group and in_group[0] == name["group"]:
            shared.append(dict(name, duty=in_group[1], stated_role=name["stated_role"] or in_group[2]))
        else:
            shared.append(dict(name, duty=neutral) if neutral else name)
    return shared[::-1]


class _Name(NamedTuple):
    """A piece of a list that names a body: the name, the duty verb printed after it and the
    role that verb states."""

    mention: str
    duty: str | None
    role: str | None


class _Rule(NamedTuple):
    """A piece of a list that states the lead rule (`逗号前为牵头单位`) or carries it on (`下同`)."""

    rule: str | None
    scope: str | None


def _read_pieces(content: str) -> list[tuple[int, int, int, _Name | _Rule]]:
    """(group, start, end, reading) of every piece of a list between separators that names a
    body (start and end: the name's span) or states the lead rule (the piece's span)."""
    read = []
    for group, start, end in _pieces(content):
        piece = content[start:end]
        compact = _WHITESPACE.sub("", piece)
        if not compact or (reading := _piece_reading(compact)) is None:
            continue
        if isinstance(reading, _Name):
            if piece.startswith(reading.mention):  # the usual case: no whitespace to step over
                end = start + len(reading.mention)
            else:
                name_start, name_end = _span_of_compact(piece, reading.mention)
                start, end = start + name_start, start + name_end
        read.append((group, start, end, reading))
    return read


@lru_cache(maxsize=8192)  # the same names recur in item after item
def _piece_reading(compact: str) -> _Name | _Rule | None:
    """What one piece (whitespace removed, not empty) says: the name it prints or the lead rule
    it states; None when it says when, not who (`2020年底前完成`, `持续推进`), or nothing."""
    if stated := _stated_rule(compact):
        return _Rule(*stated)
    if compact == "下同":
        return _Rule(None, None)
    if compact in time_words() or stated_deadline(compact):
        return None
    name, duty, role = strip_tail(compact)
    return _Name(name, duty, role) if name else None


def _pieces(content: str) -> list[tuple[int, int, int]]:
    """(group, start, end) of the pieces between separators at bracket depth 0; a joining
    word separates two names too (see `_split_joined`)."""
    pieces = []
    group = depth = 0
    start = position = 0
    marks = _list_marks()
    while mark := marks.search(content, position):
        index = mark.start()
        if depth == 0 and mark.lastgroup == "phrase":
            position = mark.end()
            continue
        char = content[index]  # inside brackets a phrase is only its characters
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0 and char in NAME_SEPARATORS:
            _add_pieces(pieces, content, group, start, index)
            group += char in GROUP_SEPARATORS
            start = index + 1
        position = index + 1
    _add_pieces(pieces, content, group, start, len(content))
    return pieces


def _add_pieces(pieces: list[tuple[int, int, int]], content: str, group: int, start: int,
                end: int) -> None:
    """Add content[start:end], cut where a joining word separates two names, to `pieces`."""
    if _JOINING.search(content, start, end):
        pieces.extend([(group, a, b) for a, b in _split_joined(content, start, end)])
    else:
        pieces.append((group, start, end))


_JOINING = re.compile(r"以及|会同|和|及|与")


def _split_joined(content: str, start: int, end: int) -> list[tuple[int, int]]:
    """content[start:end] cut where a joining word (`和`, `及`, `会同` …) stands between two
    names."""
    if not _JOINING.search(content, start, end):
        return [(start, end)]
    spans = []
    for match in _JOINING.finditer(content, start, end):
        left = _WHITESPACE.sub("", content[start:match.start()])
        right = _WHITESPACE.sub("", content[match.end():end])
        if not left or not right or _inside_brackets(content, start, match.start()):
            continue
        right_name = strip_tail(right)[0]
        if (left.endswith("等") or right.startswith("各")
                or (looks_like_agency(left) and (looks_like_agency(right_name)
                                                 or names_a_level(right_name)
                                                 or is_generic(right_name)))):
            spans.append((start, match.start()))
            start = match.end()
    spans.append((start, end))
    return spans


def _inside_brackets(content: str, start: int, index: int) -> bool:
    """Whether content[index] stands inside a bracket opened after `start`."""
    depth = 0
    for char in content[start:index]:
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
    return depth > 0


@lru_cache(maxsize=8192)  # the same names recur in item after item
def strip_tail(compact: str) -> tuple[str, str | None, str | None]:
    """(name, duty verb as printed or None, role the verb states or None) of one piece:
    `海关总署等有关部门按职责分工负责` → (`海关总署`, `负责`, None);
    `省发展改革委（牵头）` → (`省发展改革委`, `牵头`, `lead`)."""
    verb_endings, _, et_cetera_end = _tail_patterns()
    name, verbs, roles = compact, [], []
    marker = _BRACKETED_TAIL.search(name) if name.endswith(_BRACKET_ENDS) else None
    if marker and (inside := strip_tail(marker.group("inside")))[1] and not inside[0]:
        verbs.append(inside[1])
        roles.append(inside[2])
        name = name[:marker.start()]
    else:
        for _ in range(2):  # `牵头负责`, `配合落实`: at most two verbs in a row
            name = _without_fillers(name)
            verb = verb_endings.ending(name)
            if verb is None or (looks_like_agency(name) and not looks_like_agency(name[:verb[0]])):
                break  # no verb, or one whose characters end a body's name (`市目督办`)
            verbs.insert(0, verb[1])
            roles.insert(0, duty_verbs()[verb[1]])
            name = name[:verb[0]]
    name = _without_fillers(name)
    if "等" in name and (cut := et_cetera_end.search(name)):
        name = name[:cut.start()]
    name = _before_et_cetera(name)
    role = next((role for role in roles if role), None)
    return name, ("".join(verbs) or None), role


def _without_fillers(name: str) -> str:
    """`…按职责分工`, `…分别`: the name without the filler words it ends with."""
    filler_endings = _tail_patterns()[1]
    while filler := filler_endings.ending(name):
        name = name[:filler[0]]
    return name


def _before_et_cetera(name: str) -> str:
    """`X等Y` names X and a vague category Y (`西南交通大学等高校院所`): keep X."""
    index = name.find("等", 1)
    while index > 0:
        if looks_like_agency(name[:index]):
            return name[:index]
        index = name.find("等", index + 1)
    return name


def _span_of_compact(piece: str, name: str) -> tuple[int, int]:
    """Span in `piece` of its leading characters that read `name` once whitespace is removed."""
    if piece.startswith(name):  # the usual case: no whitespace to step over
        return 0, len(name)
    first = next(i for i, char in enumerate(piece) if not char.isspace())
    seen = 0
    for index in range(first, len(piece)):
        if not piece[index].isspace():
            seen += 1
            if seen == len(name):
                return first, index + 1
    return first, len(piece)


def _expand_shared_suffixes(names: list[dict]) -> list[dict]:
    """`成都市、绵阳市人民政府` → 成都市人民政府, 绵阳市人民政府 (within one group)."""
    expanded = []
    for index, name in enumerate(names):
        suffix = None
        if _is_bare_place(name["mention"]):
            donor = _suffix_donor(names, index)
            suffix = donor and _place_suffix(donor["mention"])
        expanded.append(dict(name, mention=name["mention"] + suffix) if suffix else name)
    return expanded


def _suffix_donor(names: list[dict], index: int) -> dict | None:
    """The first full name after names[index] in its group, past bare places only."""
    for later in names[index + 1:]:
        if later["group"] != names[index]["group"]:
            return None
        if not _is_bare_place(later["mention"]):
            return later
    return None


@lru_cache(maxsize=8192)  # names recur: the same bodies are named in item after item
def _is_bare_place(name: str) -> bool:
    """`成都市`, `凉山州`, `各市（州）`: a place named without the body it stands for."""
    return bool(_BARE_PLACE.match(name)) and not looks_like_agency(name)


def _place_suffix(donor: str) -> str | None:
    """What follows the place in `绵阳市人民政府` (人民政府), or None without a place."""
    for cut in range(1, len(donor)):
        head, tail = donor[:cut], donor[cut:]
        if tail[0] in _TERMINALS or tail[0] in OPENING:
            continue
        if _BARE_PLACE.match(head):
            return tail
    return None


# ---------------------------------------------------------------------------------------------
# Roles


def assign_roles(clauses: list[dict], rule_in_force: str | None,
                 stated: list[tuple[int, str]] = ()) -> tuple[list[list[tuple[str, str]]], str | None]:
    """(mention, role) per name of each clause, and the rule in force after these clauses.

    `rule_in_force` is the rule the document stated before (None at its start); `stated` the
    rules this text states outside its clauses, by position (see `running_rules`): each holds
    from where it stands. A clause that states a rule follows it itself, and carries it on
    when it says 下同.
    """
    roles = []
    pending = list(stated)
    for clause in clauses:
        while pending and pending[0][0] < clause["start"]:
            rule_in_force = pending.pop(0)[1]
        rule = clause.get("rule") or rule_in_force
        if clause.get("rule") and clause.get("rule_scope") == "document":
            rule_in_force = clause["rule"]
        others = _role_of_the_others(clause["names"])
        roles.append([(name["mention"], role_of(name, position, rule, others))
                      for position, name in enumerate(clause["names"])])
    if pending:
        rule_in_force = pending[-1][1]
    return roles, rule_in_force


def _role_of_the_others(names: list[dict]) -> str | None:
    """The role a clause's own words leave to its unmarked names: support beside a name
    marked lead (`A牵头，B、C按职责分工负责`), lead beside names marked support only
    (`A负责，B参与`); None when it marks no name."""
    marked = {name.get("stated_role") for name in names} - {None}
    if "lead" in marked:
        return "support"
    if "support" in marked:
        return "lead"
    return None


def role_of(name: dict, position: int, rule: str | None, others: str | None = None) -> str:
    """lead, support or responsible for the name at 0-based `position` in its clause: the
    role its own words state, else the document's rule, else the role the clause's words
    leave to it (`others`), else responsible."""
    if name.get("stated_role"):
        return name["stated_role"]
    if rule == "comma_lead":
        return "lead" if name["group"] == 0 else "support"
    if rule == "first_lead":
        return "lead" if position == 0 else "support"
    return others or "responsible"


# ---------------------------------------------------------------------------------------------
# Registry


def agency_id(name: str) -> str:
    """Stable id of a body from its full name: `ag-` + 10 hex digits of sha1."""
    return "ag-" + hashlib.sha1(normalise(name).encode("utf-8")).hexdigest()[:10]


def normalise(name: str) -> str:
    """NFKC, whitespace removed: the form names are compared in."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", name))


def registry() -> list[dict]:
    """The curated bodies of `lexicons/agencies.csv`, each as a resolved agency dict."""
    return [dict(agency) for agency in _registry()]


@cache
def _registry() -> tuple[dict, ...]:
    """The registry rows, loaded and checked once."""
    source = resources.files("pipeline").joinpath("lexicons", "agencies.csv")
    with source.open(encoding="utf-8", newline="") as handle:
        rows_ = list(csv.DictReader(handle))
    names = [normalise(row["name"]) for row in rows_]
    if len(set(names)) != len(names):
        raise ValueError("agencies.csv: a full name occurs twice")
    agencies = []
    for row in rows_:
        successor = row["successor"].strip()
        if successor and normalise(successor) not in names:
            raise ValueError(f"agencies.csv: successor {successor!r} of {row['name']!r} "
                             "has no row of its own")
        if row["level"] not in LEVELS:
            raise ValueError(f"agencies.csv: level {row['level']!r} of {row['name']!r}")
        agencies.append({
            "agency_id": agency_id(row["name"]),
            "name": row["name"].strip(),
            "short_names": row["short_names"].strip(),
            "level": row["level"],
            "jurisdiction": row["jurisdiction"].strip() or None,
            "successor_id": agency_id(successor) if successor else None,
            "known": True,
        })
    return tuple(agencies)


@cache
def _index() -> dict[str, tuple[dict, ...]]:
    """Registry bodies by every form of their name (full and short), normalised."""
    index: dict[str, list[dict]] = {}
    for agency in _registry():
        forms = [agency["name"], *agency["short_names"].split("|")]
        for form in {normalise(form) for form in forms if form.strip()}:
            index.setdefault(form, []).append(agency)
    return {form: tuple(agencies) for form, agencies in index.items()}


def agency_by_id(wanted: str) -> dict | None:
    """The registry body with this id (e.g. to add a successor row), or None."""
    return next((dict(a) for a in _registry() if a["agency_id"] == wanted), None)


@lru_cache(maxsize=1024)  # asked once per name met, answered per document
def context_of(jurisdiction: str | None, issuer: str | None = None) -> tuple[str | None, str | None]:
    """(jurisdiction, level) a document's names are read in: its jurisdiction and that
    place's level; (None, "national") for the State Council's and central bodies' documents;
    (None, None) when nothing tells."""
    if jurisdiction in NATIONAL_JURISDICTIONS:
        return None, "national"
    if jurisdiction:
        return jurisdiction, level_of_place(jurisdiction)
    if issuer and _national_issuer(normalise(issuer)):
        return None, "national"
    return None, None


def _national_issuer(issuer: str) -> bool:
    if _NATIONAL_PREFIX.match(issuer):
        return True
    known = _index().get(issuer, ())
    return any(a["level"] == "national" and a["jurisdiction"] is None for a in known)


def resolve(mention: str, *, jurisdiction: str | None = None, level: str | None = None) -> dict:
    """The body a mention names in a document issued in `jurisdiction` at `level`
    (`level` "national" with no jurisdiction for the State Council's documents).

    Returns {agency_id, name, short_names, level, jurisdiction, successor_id, known}. A body
    the registry does not know is returned with `known` False, its full name, level and
    jurisdiction inferred from the mention's form and the context, and an id from that name.
    """
    return dict(resolved(mention, jurisdiction, level))


@lru_cache(maxsize=16_384)  # the same few hundred names recur in every document
def resolved(mention: str, jurisdiction: str | None, level: str | None) -> Mapping[str, object]:
    """`resolve` without the copy, for a caller that only reads the body (the same dict is
    handed to every caller: never change it)."""
    key = normalise(mention)
    level = level or level_of_place(jurisdiction)
    full = normalise(_full_name_in_context(key, jurisdiction, level))
    for form in dict.fromkeys((key, full)):  # as written, then in the issuer's jurisdiction
        candidates = _index().get(form, ())
        ranked = sorted((rank, agency["name"], agency) for agency in candidates
                        if (rank := _context_rank(agency, key, jurisdiction, level)) is not None)
        if ranked:
            return dict(ranked[0][2])
    return _unknown(_WHITESPACE.sub("", mention), jurisdiction, level)


def _context_rank(agency: dict, key: str, jurisdiction: str | None,
                  level: str | None) -> int | None:
    """How well a candidate fits the issuing context (lower is better), None if it cannot.

    A body of a place fits a document of that place, a mention naming that place, or a
    document of a place inside it (`科技厅` in a Mianyang document is Sichuan's). A body with
    no place (the State Council's) fits everywhere, except that a bare office name
    (`统计局`, `发展改革委`) in a province's or city's document is that government's own. An
    enterprise or university fits everywhere."""
    own = agency["jurisdiction"]
    if own and own == jurisdiction:
        return 0
    if own and _place_stem(own) in key:
        return 1
    relative = _relative_level(key)
    if own is None:
        local = (level not in (None, "national") and agency["level"] == "national"
                 and _bare_local_office(key))
        return None if relative or local else 2
    if agency["level"] == "other" and not relative and not key.startswith(_VAGUE_PREFIXES):
        return 2  # an enterprise or a university is the same whoever names it
    if jurisdiction and own == parent_of(jurisdiction):
        context_rank = _LEVEL_RANK.get(level or "", 0)
        if relative and _LEVEL_RANK[relative] <= context_rank:
            return None  # 市X局 in a city's document is that city's, not another city's
        if agency["level"] == "other" or _LEVEL_RANK.get(agency["level"], 0) > context_rank:
            return 3
    return None


def _bare_local_office(key: str) -> bool:
    """`统计局`, `发展改革委`: an office name every government has, with no place in it."""
    return (not _NATIONAL_PREFIX.match(key) and not named_place(key)
            and bool(_local_offices().ending(key)) and _ending_level(key) != "national")


def _unknown(written: str, jurisdiction: str | None, level: str | None) -> dict:
    """An agency for a name the registry lacks, inferred from its form (as written, whitespace
    removed) and context."""
    key = normalise(written)
    inferred_level, inferred_jurisdiction = _infer_from_form(key, jurisdiction, level)
    name = _full_name_in_context(written, jurisdiction, level)
    return {"agency_id": agency_id(name), "name": name, "short_names": written,
            "level": inferred_level, "jurisdiction": inferred_jurisdiction,
            "successor_id": None, "known": False}


def _full_name_in_context(key: str, jurisdiction: str | None, level: str | None) -> str:
    """省X厅 in a provincial document → 江西省X厅; 省X厅 in a city's → its province's; 市X局 /
    bare X局 in a city's → 绵阳市X局; a class below the issuer (各市（州）人民政府) → the
    issuer's."""
    if not jurisdiction or _NATIONAL_PREFIX.match(key) or named_place(key):
        return key
    if relative := _relative_level(key):
        place = _place_at_level(relative, jurisdiction, level)
        return place + key[1:] if place else key
    if cls := _CLASS_LEVEL.match(key):
        below = _LEVEL_RANK[_RELATIVE_PREFIX[cls.group("level")]] < _LEVEL_RANK.get(level or "", 0)
        return jurisdiction + key if below else key
    if not key.startswith(_VAGUE_PREFIXES) and _local_offices().ending(key):
        place = _place_at_level(_ending_level(key) or level, jurisdiction, level)
        return place + key if place else key
    return key


def _place_at_level(wanted: str | None, jurisdiction: str, level: str | None) -> str | None:
    """The issuer's own place when `wanted` is its level, its province when that is wanted."""
    if wanted is None or wanted == level:
        return jurisdiction
    if wanted == "provincial":
        return parent_of(jurisdiction)
    return None


def _ending_level(key: str) -> str | None:
    """The level an ending implies (`厅` provincial, `部` national), or None."""
    if key.endswith("\n"):
        return None  # no ending holds a line break
    found = _endings().ending(key)
    return _name_parts()["ending"][found[1]] if found else None


def _infer_from_form(key: str, jurisdiction: str | None,
                     level: str | None) -> tuple[str, str | None]:
    """(level, jurisdiction) of an unknown name: 省… provincial, 市… municipal, 县… county,
    国家…/国务院… national, 各省级… / 各市… a class at that level, a bare office name the
    level its ending implies or the issuer's, else other."""
    if _NATIONAL_PREFIX.match(key):
        return "national", None
    if place := named_place(key):
        return level_of_place(place) or "other", place
    relative = _relative_level(key)
    if relative:
        return relative, _place_at_level(relative, jurisdiction, level) if jurisdiction else None
    if cls := _CLASS_LEVEL.match(key):
        return _RELATIVE_PREFIX[cls.group("level")], jurisdiction
    hinted = _ending_level(key)
    if hinted == "national":
        return "national", None
    if _local_offices().ending(key) and not key.startswith(_VAGUE_PREFIXES):
        if hinted:
            return hinted, _place_at_level(hinted, jurisdiction, level) if jurisdiction else None
        return level or "other", jurisdiction
    return "other", jurisdiction


def level_of_place(place: str | None) -> str | None:
    """provincial for 四川省 / 上海市 / 广西壮族自治区, municipal for 绵阳市 / 凉山彝族自治州,
    county for X县 / X区."""
    if not place:
        return None
    if place in places():
        return places()[place]["level"]
    if place.endswith(("省", "自治区", "特别行政区")):
        return "provincial"
    if place.endswith(("市", "州", "盟")):
        return "municipal"
    if place.endswith(("县", "区", "旗")):
        return "county"
    return None


def parent_of(place: str | None) -> str | None:
    """The province a place lies in, when `places.csv` knows it."""
    return places().get(place or "", {}).get("parent")


def _place_stem(place: str) -> str:
    """四川省 → 四川, 凉山彝族自治州 → 凉山: the part of a place name that mentions keep."""
    if short := places().get(place, {}).get("short"):
        return short
    stem = _PLACE_TYPE.sub("", place)
    return stem or place


def _relative_level(key: str) -> str | None:
    """The level a name is relative to: 省X厅 provincial, 市X局 municipal, 县X局 county."""
    if key.startswith(_NOT_RELATIVE):
        return None
    return _RELATIVE_PREFIX.get(key[:1])
