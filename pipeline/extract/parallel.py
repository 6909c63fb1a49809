"""Parallel lists: `中心城区、县城和建制镇燃气普及率分别达到92%、75%、60%` pairs each value with its
own subject, as a reader does: `中心城区…`, `县城…`, `建制镇…`, each with the shared words after the
list (`燃气普及率`).

The items of a list are cut at the list words of `connectors.csv` (`、`, `和`, `及` …). The first
item runs back to the start of the phrase, or is as long as the items in the middle; the last one
runs to where the shared words begin: after a place word (`indicator_trim.csv`, side `place`),
after the character every earlier item ends with (`三星级、四星级、五星级的酒店`), or as far as the
item before it is long (`已有和新建商业中心` → `新建`).
"""
from __future__ import annotations

from pipeline.extract.lexicon import longest_prefix, longest_suffix, words

CLAUSE_MARKS = "，,；;。：:\n"
SHARED_END_REACH = 2  # how far past the length of the item before it a shared end may be found


def list_cuts(phrase: str) -> list[tuple[int, int]]:
    """The spans of the list words in `phrase`, left to right, the longest at each place; not
    inside a word that holds one (`普及`, `和谐`: kind `not_list`)."""
    connectors = words("connectors", "kind", "list")
    inside = {i for w in words("connectors", "kind", "not_list") for at in _find_all(phrase, w)
              for i in range(at, at + len(w))}
    cuts, i = [], 0
    while i < len(phrase):
        word = longest_prefix(phrase[i:], connectors)
        if word and i not in inside:
            cuts.append((i, i + len(word)))
            i += len(word)
        else:
            i += 1
    return cuts


def first_item(candidate: str, middles: list[str]) -> str:
    places = words("indicator_trim", "side", "place")
    if place := longest_suffix(candidate, places):
        return place
    lengths = {len(m) for m in middles}
    if len(lengths) == 1 and (length := lengths.pop()) < len(candidate):
        return candidate[-length:]
    return candidate


def last_item(rest: str, earlier: list[str]) -> str:
    places = words("indicator_trim", "side", "place")
    if place := longest_prefix(rest, places):
        return place
    ends = {item[-1] for item in earlier}
    reach = len(earlier[-1]) + SHARED_END_REACH
    if len(ends) == 1 and (at := rest.find(ends.pop(), 0, reach)) >= 0:
        return rest[: at + 1]
    return rest[: len(earlier[-1])]


def parallel_split(phrase: str, count: int) -> tuple[list[str], str] | None:
    """The `count` items of the list that `phrase` holds and the words they share after it
    (`已有和新建商业中心WiFi覆盖率`, 2 → (`已有`, `新建`), `商业中心WiFi覆盖率`); None when the
    phrase holds no such list."""
    cuts = list_cuts(phrase)
    if count < 2 or len(cuts) < count - 1:
        return None
    cuts = cuts[-(count - 1) :]
    middles = [phrase[a[1] : b[0]] for a, b in zip(cuts, cuts[1:])]
    candidate, rest = phrase[: cuts[0][0]], phrase[cuts[-1][1] :]
    if not candidate or not rest or any(not m for m in middles):
        return None
    if any(mark in piece for piece in (candidate, rest, *middles) for mark in CLAUSE_MARKS):
        return None
    first = first_item(candidate, middles)
    last = last_item(rest, [first, *middles])
    return [first, *middles, last], rest[len(last) :]


def paired_items(before: str, count: int) -> list[str] | None:
    """For a list of `count` values, the parallel items they go with, when the words `before`
    the values end with `分别` and a few words (`对A、B、C分别给予`, `A、B、C，一次性分别给予`):
    the items of the last clause before `分别` that holds a list."""
    word = next(iter(words("connectors", "kind", "parallel")), None)
    at = before.rfind(word) if word else -1
    if at < 0 or any(mark in before[at:] for mark in CLAUSE_MARKS) or len(before) - at > 8:
        return None
    clauses = [c for c in _clauses(before[:at]) if list_cuts(c)]
    if not clauses:
        return None
    clause = clauses[-1]
    opener = longest_prefix(clause, words("target_cues", "kind", "condition_opener"))
    split = parallel_split(clause[len(opener or "") :], count)
    return split[0] if split else None


def _clauses(text: str) -> list[str]:
    clauses, start = [], 0
    for i, ch in enumerate(text):
        if ch in CLAUSE_MARKS:
            clauses.append(text[start:i])
            start = i + 1
    clauses.append(text[start:])
    return [c.strip() for c in clauses]


def _find_all(text: str, word: str) -> list[int]:
    found, at = [], text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found
