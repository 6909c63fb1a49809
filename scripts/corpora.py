"""Benchmark corpora made from the seeds: plain copies, or distinct documents (perturbed copies).

`make_corpus(seeds, folder, copies, kind)` writes `copies` files per seed, `<stem>-cNNN.txt`:

- `plain`: the seed's bytes with one line of its own appended, `（副本 k）` (the build skips a
  file whose bytes equal another's); every copy is otherwise the same text.
- `perturbed`: a document of its own per copy, made deterministically from the seed's name and
  k (`random.Random("<name>|k")`), so the same corpus is made every time:
  - numbers shifted: every run of ASCII digits that is not a date, a 文号 or a list number
    (see `shift_numbers`) gets 1–9 added, keeping its width when it had a leading zero;
  - paragraphs reordered within their item: the text is cut into items at heading lines
    (`一、`, `（二）`, `3.`, `第四条` …) and each item into paragraphs at lines ending in
    `。！？；`; an item's paragraphs after its first (the one with the heading) are shuffled;
  - place names varied: provinces and provincial capitals are mapped by a permutation of
    their list (`四川` may become `河南`, `成都` `郑州`).
  If a perturbed copy has the bytes of an earlier one, the `（副本 k）` line is appended to it.

A corpus is kept while `.stamp` (a hash of the seeds, the count, the kind and this file) holds.
"""
from __future__ import annotations

import hashlib
import random
import re
import shutil
from pathlib import Path

MARKER = "（副本 {k}）"
KINDS = ("plain", "perturbed")
# Public place names: the short names of the provinces and their capitals.
PROVINCES = ("北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
             "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
             "云南", "陕西", "甘肃", "青海", "内蒙古", "广西", "西藏", "宁夏", "新疆")
CAPITALS = ("石家庄", "太原", "沈阳", "长春", "哈尔滨", "南京", "杭州", "合肥", "福州", "南昌", "济南",
            "郑州", "武汉", "长沙", "广州", "海口", "成都", "贵阳", "昆明", "西安", "兰州", "西宁",
            "呼和浩特", "南宁", "拉萨", "银川", "乌鲁木齐")
PLACE = re.compile("|".join(sorted(PROVINCES + CAPITALS, key=len, reverse=True)))
DIGITS = re.compile(r"\d+", re.ASCII)
# A number followed by one of these (spaces allowed) is a date, a 文号 or a count of sessions:
# shifting it could make an impossible date, so it stays.
KEEP_BEFORE = set("年月日号届次〕]")
HEADING = re.compile(r"\s*(第[一二三四五六七八九十百零〇]+[章节条]|[一二三四五六七八九十]+、"
                     r"|[（(][一二三四五六七八九十]+[）)]|\d+[.．、])")
SENTENCE_END = ("。", "！", "？", "；")


def encoding_of(data: bytes) -> str:
    """The encoding to append a line to a seed in (no BOM: it is already at the start)."""
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def with_marker(data: bytes, k: int) -> bytes:
    encoding = encoding_of(data)
    newline = "\n".encode(encoding)
    tail = b"" if data.endswith(newline) else newline
    return data + tail + (MARKER.format(k=k) + "\n").encode(encoding)


def shift_numbers(text: str, rng: random.Random) -> str:
    def shift(match: re.Match) -> str:
        digits = match.group()
        start, end = match.span()
        line_start = text.rfind("\n", 0, start) + 1
        following = text[end:end + 3].lstrip(" 　")
        if (not text[line_start:start].strip() or text[start - 1:start] in ("〔", "[")
                or following[:1] in KEEP_BEFORE):
            return digits  # a list number, a date or a 文号
        shifted = str(int(digits) + rng.randint(1, 9))
        return shifted.zfill(len(digits)) if digits.startswith("0") else shifted

    return DIGITS.sub(shift, text)


def paragraphs_of(lines: list[str]) -> list[list[list[str]]]:
    """Items (cut at heading lines), each a list of paragraphs, each a list of lines."""
    items: list[list[list[str]]] = [[[]]]
    for line in lines:
        if HEADING.match(line):
            # Blank lines before a paragraph belong to it: here, to the heading's item.
            pending = [] if any(items[-1][-1]) else items[-1].pop()
            items.append([pending])
        items[-1][-1].append(line)
        if line.rstrip().endswith(SENTENCE_END):
            items[-1].append([])
    return items


def reorder_paragraphs(text: str, rng: random.Random) -> str:
    out: list[str] = []
    for item in paragraphs_of(text.split("\n")):
        # The last paragraph, when unfinished (a signature, a date), stays last.
        whole = [p for p in item if p]
        if not whole:
            continue
        head, *body = whole
        tail = [body.pop()] if body and not body[-1][-1].rstrip().endswith(SENTENCE_END) else []
        rng.shuffle(body)
        out.extend(line for paragraph in [head, *body, *tail] for line in paragraph)
    return "\n".join(out)


def vary_places(text: str, rng: random.Random) -> str:
    mapping = {}
    for names in (PROVINCES, CAPITALS):
        shuffled = list(names)
        rng.shuffle(shuffled)
        mapping.update(zip(names, shuffled))
    return PLACE.sub(lambda m: mapping[m.group()], text)


def perturb(data: bytes, name: str, k: int) -> bytes:
    """Copy k of a seed as a document of its own (same encoding, same BOM if any)."""
    encoding = encoding_of(data)
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    if data.startswith(b"\xef\xbb\xbf"):
        bom = b"\xef\xbb\xbf"
    text = data[len(bom):].decode(encoding)
    rng = random.Random(f"{name}|{k}")
    text = vary_places(reorder_paragraphs(shift_numbers(text, rng), rng), rng)
    return bom + text.encode(encoding)


def make_corpus(seeds: list[Path], folder: Path, copies: int, kind: str = "plain") -> Path:
    """`copies` copies of every seed under distinct names and with distinct bytes."""
    if kind not in KINDS:
        raise ValueError(f"corpus kind {kind!r}: one of {', '.join(KINDS)}")
    stamp = hashlib.sha256(
        b"".join(p.name.encode() + hashlib.sha256(p.read_bytes()).digest() for p in seeds)
        + f"{copies}|{kind}|{MARKER}".encode() + Path(__file__).read_bytes()
    ).hexdigest()
    if (folder / ".stamp").is_file() and (folder / ".stamp").read_text() == stamp:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for seed in seeds:
        data = seed.read_bytes()
        seen: set[bytes] = set()
        for k in range(copies):
            copy = with_marker(data, k) if kind == "plain" else perturb(data, seed.name, k)
            digest = hashlib.sha256(copy).digest()
            if digest in seen:
                copy = with_marker(copy, k)
                digest = hashlib.sha256(copy).digest()
            seen.add(digest)
            (folder / f"{seed.stem}-c{k:03d}.txt").write_bytes(copy)
    (folder / ".stamp").write_text(stamp)
    return folder


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.txt"))
