"""Responsibility clauses: find them, split their agency names, assign roles, resolve names.

Everything here is a pure function on strings; the registry of known bodies is the curated
data file `pipeline/lexicons/agencies.csv`, loaded once.

A clause is `（责任单位：…）`, `〔责任单位：…〕`, `(责任单位:…)` or the same with 责任部门,
牵头单位/牵头部门 (names that lead) or 配合单位/配合部门 (names that support). Inside it,
`、` separates names within a group and `，`/`；` separate groups: a document that says
`逗号前为牵头单位` makes group 0 lead. The lead rule a document states is read from the clause
text (`comma_lead`, `first_lead`) and carried to the end of the document when it says `下同`.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

OPENING = "（(〔[【［"
CLOSING = "）)〕]】］"
GROUP_SEPARATORS = "，,；;。"
NAME_SEPARATORS = "、" + GROUP_SEPARATORS

# 责任单位/责任部门 leave roles to the document's rule; 牵头/配合 state the role themselves.
_KEYWORD = r"(?P<kw>(?:责\s*任|牵\s*头|配\s*合|协\s*办)\s*(?:单\s*位|部\s*门))\s*[：:]"
_CLAUSE_HEAD = re.compile(rf"(?:(?P<open>[{re.escape(OPENING)}])\s*)?{_KEYWORD}")
_SECTION_HEAD = re.compile(_KEYWORD)
_SECTION_ROLE = {"牵头": "lead", "配合": "support", "协办": "support"}
# Without a bracket only these open a clause (`责任单位：A、B。`); 配合单位 follows one.
_UNBRACKETED_OPENERS = ("责任", "牵头")
SENTENCE_END = "。\n"

# The document's own lead rule, e.g. `逗号前为牵头单位，下同`, `排第一位的为牵头单位，下同`.
_COMMA_LEAD = re.compile(r"(?:逗|分)号(?:之)?前(?:的|面的?)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)")
_FIRST_LEAD = re.compile(
    r"(?:排|列|位)?(?:名|在|于)?(?:第一(?:位|个|家)?|首位)的?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)"
    r"|牵头(?:单位|部门)(?:排|列)(?:在|于)?(?:第一位?|首位)"
)
_CARRIED = re.compile(r"下同")

# Words around names that are not names: `等`, `等部门按照职责分工负责`, `按职责分工负责`.
_TRAILING_FILLER = re.compile(
    r"(?:等(?:相关|有关)?(?:部门|单位|机构)?)?"
    r"(?:(?:按照?|根据|依据)?(?:各自)?(?:职责|职能)(?:分工)?(?:分别)?(?:负责|落实|推进)?"
    r"|(?:分别|共同)?负责)?$"
)
# `X、Y牵头，Z配合`: the text marks the role of the names of a group itself.
_ROLE_MARKER = re.compile(r"(?:(?P<lead>(?:负责)?牵头)|(?P<support>配合|参与|协助|协办))"
                          r"(?:负责|实施|落实|推进)?$")
# `X等Y` names X and a vague category Y (`西南交通大学等高校院所`): keep X.
_ET_CETERA = re.compile(r"^(?P<name>.+?)等.+$")

# A name of a body ends with one of these (after `等` is cut off).
_AGENCY_END = re.compile(
    r"(?:局|委|办|厅|部|署|院|会|府|中心|公司|集团|电力|银行|分行|支行|队|所|站|社|馆|处"
    r"|室|大学|学院|学校|海关|企业|院所|总队|管委会)$"
)
# A piece that is only a place (`成都市`, `凉山州`, `各市（州）`) borrows the suffix of the
# next full name in its group: `成都市、绵阳市人民政府`.
_TERMINALS = "省市州县区旗盟"
_BARE_PLACE = re.compile(
    rf"^(?:各|相关|有关)?[\u4e00-\u9fff]{{0,10}}?[{_TERMINALS}]"
    r"(?:[（(][^（）()]*[）)])?$"
)
_WHITESPACE = re.compile(r"\s+")

LEVELS = ("national", "provincial", "municipal", "county", "other")
# How far up the administrative ladder a level sits; `other` bodies are not ranked.
_LEVEL_RANK = {"national": 4, "provincial": 3, "municipal": 2, "county": 1}
# Prefixes that name a body relative to the issuer's own jurisdiction: 省X厅, 市X局, 县X局.
_RELATIVE_PREFIX = {"省": "provincial", "市": "municipal", "县": "county", "区": "county"}
_NOT_RELATIVE = ("市场", "区域", "县域")  # words that merely start with 市, 区, 县
_NATIONAL_PREFIX = re.compile(r"^(?:国家|国务院|中国|中华人民共和国|中共中央|全国)")
_NAMED_PLACE = re.compile(r"^(?!各|相关|有关)(?P<place>[\u4e00-\u9fff]{2,7}?(?:省|市|自治州|州|县|区))")
_PLACE_TYPE = re.compile(r"(?:[\u4e00-\u9fff]族)*自治[州县]$|[省市州县区]$")
_VAGUE_PREFIXES = ("各", "相关", "有关")
_OFFICE_END = re.compile(r"(?:局|委|办|厅|委员会|办公室)$")


# ---------------------------------------------------------------------------------------------
# Finding clauses and names


def find_clauses(text: str) -> list[dict]:
    """Every responsibility clause in the cleaned text of one item, in order.

    Each clause: `start`, `end` (span in `text`; a clause whose bracket never closes ends with
    its sentence), `rule` (None, "comma_lead" or "first_lead" when the clause states one),
    `rule_scope` ("document" when it says 下同, else "clause", None without a rule) and
    `names`: [{mention, start, end, group, stated_role}] (see `split_names`; `stated_role`
    is also set by a 牵头单位/配合单位 heading).
    """
    clauses = []
    position = 0
    while match := _CLAUSE_HEAD.search(text, position):
        if match.group("open"):
            close = matching_close(text, match.start())
            if close is None:  # never closed: the names run to the end of the sentence at most
                content_end = end = _sentence_end(text, match.end())
            else:
                content_end, end = close, close + 1
        elif _WHITESPACE.sub("", match.group("kw")).startswith(_UNBRACKETED_OPENERS):
            content_end = end = _sentence_end(text, match.end())
        else:
            position = match.end()
            continue
        clauses.append(_parse_clause(text, match, content_end, end))
        position = max(end, match.end())
    return clauses


def _sentence_end(text: str, start: int) -> int:
    """Where an unbracketed clause ends: 。, a line break or an unmatched closing bracket."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            if depth == 0:
                return index
            depth -= 1
        elif depth == 0 and char in SENTENCE_END:
            return index
    return len(text)


def matching_close(text: str, open_at: int) -> int | None:
    """Index of the bracket closing the one at `open_at`, or None when the text ends first."""
    depth = 0
    for index in range(open_at, len(text)):
        char = text[index]
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth -= 1
            if depth == 0:
                return index
    return None


def _parse_clause(text: str, head: re.Match, content_end: int, end: int) -> dict:
    """The clause from its head to `content_end`, with its sections' names and rule."""
    sections = []
    keyword, start = head.group("kw"), head.end()
    while True:
        nxt = _SECTION_HEAD.search(text, start, content_end)
        stop = nxt.start() if nxt else content_end
        sections.append((keyword, start, stop))
        if not nxt:
            break
        keyword, start = nxt.group("kw"), nxt.end()

    names: list[dict] = []
    rule = scope = None
    for keyword, section_start, section_end in sections:
        section_text = text[section_start:section_end]
        stated = _stated_rule(section_text)
        if stated:
            rule, scope = stated
        role = _SECTION_ROLE.get(_WHITESPACE.sub("", keyword)[:2])
        for name in split_names(section_text, offset=section_start):
            names.append(dict(name, stated_role=name["stated_role"] or role))
    return {"start": head.start(), "end": end, "rule": rule, "rule_scope": scope,
            "names": names}


def _stated_rule(section: str) -> tuple[str, str] | None:
    """The lead rule a clause states, with its scope ("document" when it says 下同)."""
    compact = _WHITESPACE.sub("", section)
    scope = "document" if _CARRIED.search(compact) else "clause"
    if _COMMA_LEAD.search(compact):
        return "comma_lead", scope
    if _FIRST_LEAD.search(compact):
        return "first_lead", scope
    return None


def split_names(content: str, offset: int = 0) -> list[dict]:
    """The agency names in a list such as `科技厅，省发展改革委、经济和信息化厅`.

    Each name: `mention` (as written, whitespace removed, shared suffix expanded), `start`,
    `end` (span of the written part, shifted by `offset`), `group` (0-based index of the
    comma-separated group) and `stated_role` ("lead"/"support" when the text marks the group
    with 牵头/配合, else None). Separators inside brackets (`县（市、区）`) do not split; rule
    sentences (`逗号前为牵头单位`, `下同`) and filler words (`等`, `按照职责分工负责`) are dropped.
    """
    names = []
    for group, start, end in _pieces(content):
        name = _trim_name(content, start, end)
        if name is None:
            continue
        written, name_start, name_end, role = name
        names.append({"mention": written, "start": name_start + offset,
                      "end": name_end + offset, "group": group, "stated_role": role})
    return _expand_shared_suffixes(_spread_marked_roles(names))


def _spread_marked_roles(names: list[dict]) -> list[dict]:
    """`省发展改革委、财政厅牵头`: the marker after a group's last name holds for the group."""
    marked = {name["group"]: name["stated_role"] for name in names if name["stated_role"]}
    return [dict(name, stated_role=name["stated_role"] or marked.get(name["group"]))
            for name in names]


def _pieces(content: str) -> list[tuple[int, int, int]]:
    """(group, start, end) of the pieces between separators at bracket depth 0."""
    pieces = []
    group = depth = 0
    start = 0
    for index, char in enumerate(content):
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0 and char in NAME_SEPARATORS:
            pieces.append((group, start, index))
            group += char in GROUP_SEPARATORS
            start = index + 1
    pieces.append((group, start, len(content)))
    return pieces


def _trim_name(content: str, start: int, end: int) -> tuple[str, int, int, str | None] | None:
    """The name in content[start:end] without whitespace, filler and role marker, its span
    and the role the marker states; None if there is no name."""
    piece = content[start:end]
    compact = _WHITESPACE.sub("", piece)
    if not compact or _COMMA_LEAD.search(compact) or _FIRST_LEAD.search(compact):
        return None
    if _CARRIED.fullmatch(compact):
        return None
    role = None
    if marker := _ROLE_MARKER.search(compact):
        role = "lead" if marker.group("lead") else "support"
        compact = compact[:marker.start()]
    name = _TRAILING_FILLER.sub("", compact)
    if (et_cetera := _ET_CETERA.match(name)) and looks_like_agency(et_cetera.group("name")):
        name = et_cetera.group("name")
    if not name:
        return None
    name_start, name_end = _span_of_compact(piece, name)
    return name, start + name_start, start + name_end, role


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
        expanded.append(dict(name, mention=name["mention"] + (suffix or "")))
    return expanded


def _suffix_donor(names: list[dict], index: int) -> dict | None:
    """The first full name after names[index] in its group, past bare places only."""
    for later in names[index + 1:]:
        if later["group"] != names[index]["group"]:
            return None
        if not _is_bare_place(later["mention"]):
            return later
    return None


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


def looks_like_agency(name: str) -> bool:
    """Whether a name ends the way names of bodies end (局, 委, 办, 政府, 管委会, 公司 …)."""
    return bool(_AGENCY_END.search(name))


# ---------------------------------------------------------------------------------------------
# Roles


def assign_roles(clauses: list[dict], rule_in_force: str | None
                 ) -> tuple[list[list[tuple[str, str]]], str | None]:
    """(mention, role) per name of each clause, and the rule in force after these clauses.

    `rule_in_force` is the rule a previous clause of the same document carried with 下同
    (None at the start of a document). A clause that states a rule follows it itself.
    """
    roles = []
    for clause in clauses:
        rule = clause.get("rule") or rule_in_force
        if clause.get("rule") and clause.get("rule_scope") == "document":
            rule_in_force = clause["rule"]
        roles.append([(name["mention"], role_of(name, position, rule))
                      for position, name in enumerate(clause["names"])])
    return roles, rule_in_force


def role_of(name: dict, position: int, rule: str | None) -> str:
    """lead, support or responsible for the name at 0-based `position` in its clause."""
    if name.get("stated_role"):
        return name["stated_role"]
    if rule == "comma_lead":
        return "lead" if name["group"] == 0 else "support"
    if rule == "first_lead":
        return "lead" if position == 0 else "support"
    return "responsible"


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
        rows = list(csv.DictReader(handle))
    names = [normalise(row["name"]) for row in rows]
    if len(set(names)) != len(names):
        raise ValueError("agencies.csv: a full name occurs twice")
    agencies = []
    for row in rows:
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


def resolve(mention: str, *, jurisdiction: str | None = None, level: str | None = None) -> dict:
    """The body a mention names in a document issued in `jurisdiction` at `level`.

    Returns {agency_id, name, short_names, level, jurisdiction, successor_id, known}. A body
    the registry does not know is returned with `known` False, its full name, level and
    jurisdiction inferred from the mention's form and the context, and an id from that name.
    """
    return dict(_resolve(mention, jurisdiction, level))


@lru_cache(maxsize=16_384)  # the same few hundred names recur in every document
def _resolve(mention: str, jurisdiction: str | None, level: str | None) -> dict:
    key = normalise(mention)
    level = level or _level_of_place(jurisdiction)
    for form in _forms_in_context(key, jurisdiction, level):
        candidates = _index().get(form, ())
        ranked = sorted((rank, agency["name"], agency) for agency in candidates
                        if (rank := _context_rank(agency, key, jurisdiction, level)) is not None)
        if ranked:
            return dict(ranked[0][2])
    return _unknown(key, jurisdiction, level)


def _forms_in_context(key: str, jurisdiction: str | None, level: str | None) -> list[str]:
    """The mention itself, then its full form in the issuer's jurisdiction (市X局 → 绵阳市X局)."""
    full = normalise(_full_name_in_context(key, jurisdiction, level))
    return [key] if full == key else [key, full]


def _context_rank(agency: dict, key: str, jurisdiction: str | None,
                  level: str | None) -> int | None:
    """How well a candidate fits the issuing context (lower is better), None if it cannot."""
    own = agency["jurisdiction"]
    if own and own == jurisdiction:
        return 0
    if own and _place_stem(own) in key:
        return 1
    relative = _relative_level(key)
    if jurisdiction is None:
        return None if relative else 3  # 市X局 with no issuer could be any city's
    context_rank = _LEVEL_RANK.get(level or "", 0)
    if relative and _LEVEL_RANK[relative] <= context_rank:
        return None  # 市X局 in a city's document is that city's, not another city's
    if agency["level"] == "other" or _LEVEL_RANK.get(agency["level"], 0) > context_rank:
        return 2
    return None


def _unknown(key: str, jurisdiction: str | None, level: str | None) -> dict:
    """An agency for a name the registry lacks, inferred from its form and context."""
    inferred_level, inferred_jurisdiction = _infer_from_form(key, jurisdiction, level)
    name = _full_name_in_context(key, jurisdiction, level)
    return {"agency_id": agency_id(name), "name": name, "short_names": key,
            "level": inferred_level, "jurisdiction": inferred_jurisdiction,
            "successor_id": None, "known": False}


def _full_name_in_context(key: str, jurisdiction: str | None, level: str | None) -> str:
    """省X厅 in a provincial document → 四川省X厅; 市X局 / bare X局 in a city's → 绵阳市X局."""
    if not jurisdiction:
        return key
    relative = _relative_level(key)
    if relative and relative == level and not _NAMED_PLACE.match(key):
        return jurisdiction + key[1:]
    if (not relative and not _NATIONAL_PREFIX.match(key) and not _NAMED_PLACE.match(key)
            and not key.startswith(_VAGUE_PREFIXES) and _OFFICE_END.search(key)):
        return jurisdiction + key
    return key


def _infer_from_form(key: str, jurisdiction: str | None,
                     level: str | None) -> tuple[str, str | None]:
    """(level, jurisdiction) of an unknown name: 省… provincial, 市… municipal, 县… county,
    国家…/国务院… national, a bare office name takes the issuer's level, else other."""
    if _NATIONAL_PREFIX.match(key):
        return "national", None
    if named := _NAMED_PLACE.match(key):
        place = named.group("place")
        return _level_of_place(place) or "other", place
    relative = _relative_level(key)
    if relative:
        return relative, jurisdiction if relative == level else None
    if jurisdiction and _OFFICE_END.search(key) and not key.startswith(_VAGUE_PREFIXES):
        return level or "other", jurisdiction
    return "other", jurisdiction


def _level_of_place(place: str | None) -> str | None:
    """provincial for 四川省, municipal for 绵阳市 / 凉山彝族自治州, county for X县 / X区."""
    if not place:
        return None
    if place.endswith("省"):
        return "provincial"
    if place.endswith(("市", "州")):
        return "municipal"
    if place.endswith(("县", "区")):
        return "county"
    return None


def _place_stem(place: str) -> str:
    """四川省 → 四川, 凉山彝族自治州 → 凉山: the part of a place name that mentions keep."""
    stem = _PLACE_TYPE.sub("", place)
    return stem or place


def _relative_level(key: str) -> str | None:
    """The level a name is relative to: 省X厅 provincial, 市X局 municipal, 县X局 county."""
    if key.startswith(_NOT_RELATIVE):
        return None
    return _RELATIVE_PREFIX.get(key[:1])
