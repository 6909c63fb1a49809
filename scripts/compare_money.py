"""Our amount extraction against JioNLP's `extract_money`, on the same text, in one run.

usage: python scripts/compare_money.py [--shared ../shared] [--min-seconds 2] [--json FILE]

Three sets of hand-checked amounts are scored, each where its texts are at hand:

- `sample`: `scripts/data/money_sample.json`, shipped with the project: every amount of the
  seeds outside the dev gold's coverage (seeds 000 and 004, seed 003 from line 1297), read and
  checked by hand. Always there, so that the comparison runs from a fresh clone.
- `dev gold`: `<shared>/eval/gold-dev` on the seeds (seed 002, seed 003 lines 1–1296).
- `corpus gold`: `<shared>/eval/gold-corpus` on the ten annotated texts of `<shared>/corpus`.

Both extractors read the same paragraphs: every text a set covers is cleaned and segmented by
the pipeline (`pipeline.clean`, `pipeline.segment.segment_file`) and each measure's text (what
`classify` hands to `extract_amounts`) is given to both. A mention's raw line comes from
`Paragraph.line_at`, and predictions are matched to the hand-checked amounts as
`eval/score.py` matches a package: by text file and min/max yuan, one to one, nearest line
first, only inside the set's coverage. Printed for both: precision, recall, F1, qualifier
accuracy on the matched amounts, and throughput in MB of UTF-8 text per second (extraction
only, best of several passes over the text).

JioNLP is an optional dependency of the `compare` and `bench` nox sessions only; without it
only our row is printed. Its answers are mapped onto our record: `detail.num` (one value, or a
[low, high] list) → min_cny/max_cny, in yuan only when `detail.case` is 元 (another currency
never matches a yuan amount, as ours, which gives it no yuan value);
`definition` → qualifier: accurate → exact, blur- → max, blur+ → min, blur with one value →
approx, blur with two values → approx when the text says 余/多/几/数 (JioNLP turns `3亿余元`
into [3亿, 4亿]) else range.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the pipeline of this checkout, whatever else is installed

from pipeline.classify import table_items  # noqa: E402
from pipeline.clean import Paragraph, clean_lines, decode  # noqa: E402
from pipeline.extract.amounts import extract_amounts  # noqa: E402
from pipeline.segment import segment_file  # noqa: E402

SAMPLE = ROOT / "scripts" / "data" / "money_sample.json"
DEFAULT_SHARED = ROOT.parent / "shared"
APPROX_MARKS = "余多几数"
OPEN_END = 1_000_000  # a coverage span ending here runs to the end of the text


@dataclass
class GoldSet:
    """Hand-checked amounts, the raw lines they cover, and where their texts are."""

    name: str
    amounts: list[dict]
    coverage: dict[str, list[list[int]]]  # text file → line spans ([] for the whole file)
    texts: Path


# ------------------------------------------------------------------ the shared input


def measure_paragraphs(path: Path) -> Iterator[Paragraph]:
    """Each measure's text with its raw-line map, as the build's classify stage sees it."""
    text = decode(path.read_bytes(), path.name)
    docs = segment_file(clean_lines(text), text.split("\n"))
    for doc in docs:
        items = table_items(doc) if doc.table_lines else doc.items
        for item in items:
            if item.body.text:
                yield item.body


# ------------------------------------------------------------------ the two extractors


def ours(text: str) -> list[dict]:
    return [
        {"start": m["start"], "text": m["text"], "min_cny": m["min_cny"], "max_cny": m["max_cny"],
         "qualifier": m["qualifier"]}
        for m in extract_amounts(text)
    ]


def load_jionlp() -> tuple[Callable[[str], list[dict]], str] | None:
    """JioNLP's extract_money mapped onto our record, and its version; None if not installed."""
    if importlib.util.find_spec("jionlp") is None:
        return None
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):  # it prints a banner on import
        import jionlp
    extract_money = jionlp.ner.extract_money

    def theirs(text: str) -> list[dict]:
        found = []
        for entity in extract_money(text, with_parsing=True):
            detail = entity.get("detail") or {}
            nums = detail.get("num")
            if nums is None:
                continue
            values: list[float | None] = [float(v) for v in (nums if isinstance(nums, list) else [nums])]
            if detail.get("case") != "元":
                values = [None] * len(values)  # another currency: no value in yuan
            definition = detail.get("definition")
            if definition == "blur-":
                qualifier = "max"
            elif definition == "blur+":
                qualifier = "min"
            elif definition == "blur":
                many = len(values) > 1 and not any(c in entity["text"] for c in APPROX_MARKS)
                qualifier = "range" if many else "approx"
            else:
                qualifier = "exact"
            found.append({"start": entity["offset"][0], "text": entity["text"],
                          "min_cny": values[0], "max_cny": values[-1], "qualifier": qualifier})
        return found

    return theirs, getattr(jionlp, "__version__", "?")


def throughput(extract: Callable[[str], list], texts: list[str], min_seconds: float) -> tuple[float, int]:
    """MB of UTF-8 text per second, best pass; at least two passes and `min_seconds` in all."""
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    extract(texts[0])  # warm up: lexicons, compiled patterns, lazy dictionaries
    best, spent, passes = float("inf"), 0.0, 0
    while passes < 2 or spent < min_seconds:
        started = time.perf_counter()
        for text in texts:
            extract(text)
        elapsed = time.perf_counter() - started
        best, spent, passes = min(best, elapsed), spent + elapsed, passes + 1
    return size / best, passes


# ------------------------------------------------------------------ the hand-checked sets


def load_sample(path: Path = SAMPLE) -> GoldSet:
    data = json.loads(path.read_text("utf-8"))
    return GoldSet("sample (seeds outside the dev gold)", data["amounts"], data["coverage"], ROOT / "seeds")


def load_gold(gold: Path, texts: Path, name: str) -> GoldSet:
    rows = []
    for path in sorted(gold.glob("*_amounts.jsonl")):
        rows += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    coverage_path = gold / "coverage.json"
    coverage = (json.loads(coverage_path.read_text("utf-8")) if coverage_path.is_file()
                else {seed: [] for seed in {r["seed"] for r in rows}})
    return GoldSet(name, rows, coverage, texts)


def gold_sets(shared: Path) -> tuple[list[GoldSet], list[str]]:
    """The sets whose texts are at hand, and a note for each that is not."""
    sets, absent = [load_sample()], []
    for name, gold, texts in (
        ("dev gold", shared / "eval" / "gold-dev", ROOT / "seeds"),
        ("corpus gold", shared / "eval" / "gold-corpus", shared / "corpus"),
    ):
        if gold.is_dir() and texts.is_dir():
            sets.append(load_gold(gold, texts, name))
        else:
            absent.append(f"{name}: {gold} is not here")
    return sets, absent


# ------------------------------------------------------------------ matching, as eval/score.py


def covered(coverage: dict, seed: str, line: int) -> bool:
    spans = coverage.get(seed)
    if spans is None:
        return False
    return not spans or any(a <= line <= b for a, b in spans)


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return False
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def pair(gold: list[dict], pred: list[dict]) -> tuple[list[tuple[dict, dict]], int, int]:
    """Greedy one-to-one pairing by text file and min/max yuan, nearest line first; an
    ambiguous gold amount absorbs a prediction but counts nowhere."""
    used: set[int] = set()
    pairs, n_gold, absorbed = [], 0, 0
    for g in sorted(gold, key=lambda r: (r.get("ambiguous", False), r.get("line") or 0)):
        best = None
        for i, p in enumerate(pred):
            if i in used or p["seed"] != g["seed"]:
                continue
            if not (close(float(g["min_cny"]), p["min_cny"]) and close(float(g["max_cny"]), p["max_cny"])):
                continue
            distance = abs(p["line"] - g["line"])
            if best is None or distance < best[0]:
                best = (distance, i)
        if g.get("ambiguous"):
            if best:
                used.add(best[1])
                absorbed += 1
            continue
        n_gold += 1
        if best:
            used.add(best[1])
            pairs.append((g, pred[best[1]]))
    return pairs, n_gold, len(pred) - absorbed


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "pred": n_pred, "gold": n_gold, "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(f, 3)}


def predictions(extract: Callable[[str], list[dict]], paragraphs: dict[str, list[Paragraph]],
                coverage: dict) -> list[dict]:
    out = []
    for seed, paras in paragraphs.items():
        for para in paras:
            for mention in extract(para.text):
                line = para.line_at(mention["start"])
                if covered(coverage, seed, line):
                    out.append({**mention, "seed": seed, "line": line})
    return out


def score(extract: Callable[[str], list[dict]], paragraphs: dict[str, list[Paragraph]], gold: GoldSet) -> dict:
    pairs, n_gold, n_pred = pair(gold.amounts, predictions(extract, paragraphs, gold.coverage))
    result = prf(len(pairs), n_pred, n_gold)
    right = sum(g["qualifier"] == p["qualifier"] for g, p in pairs)
    result["qualifier"] = {"n": len(pairs), "accuracy": round(right / len(pairs), 3) if pairs else None}
    matched = {id(g) for g, _ in pairs}
    result["missed"] = [f"{g['seed'][:3]}:{g['line']} {g['quote']}" for g in gold.amounts
                        if not g.get("ambiguous") and id(g) not in matched]
    return result


# ------------------------------------------------------------------ report


def table(rows: list[dict]) -> str:
    lines = ["| extractor | predicted | matched | gold | precision | recall | F1 | qualifier accuracy | MB/s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        q = r["qualifier"]
        qual = f"{q['accuracy']:.3f} (n={q['n']})" if q["accuracy"] is not None else "—"
        lines.append(f"| {r['name']} | {r['pred']} | {r['tp']} | {r['gold']} | {r['precision']:.3f} | "
                     f"{r['recall']:.3f} | {r['f1']:.3f} | {qual} | {r['mb_per_s']:.2f} |")
    return "\n".join(lines)


def span_text(first: int, last: int) -> str:
    return f"lines {first}–{last}" if last < OPEN_END else f"from line {first}"


def compare(gold: GoldSet, extractors: list[tuple[str, Callable[[str], list[dict]]]],
            min_seconds: float) -> tuple[str, list[dict]]:
    """The heading line and the result rows of one set."""
    paragraphs = {seed: list(measure_paragraphs(gold.texts / seed)) for seed in sorted(gold.coverage)}
    texts = [p.text for paras in paragraphs.values() for p in paras]
    size = sum(len(t.encode("utf-8")) for t in texts)
    spans = ", ".join(f"{s[:3]} " + (", ".join(span_text(a, b) for a, b in gold.coverage[s]) or "whole")
                      for s in sorted(gold.coverage))
    results = []
    for name, extract in extractors:
        result = score(extract, paragraphs, gold)
        result["mb_per_s"], result["passes"] = throughput(extract, texts, min_seconds)
        results.append({"name": name, "set": gold.name, **result})
    heading = (f"{gold.name} ({spans}): {sum(not g.get('ambiguous') for g in gold.amounts)} amounts; "
               f"{len(texts)} measure texts, {size / 1e6:.3f} MB UTF-8")
    return heading, results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                    help="folder holding eval/gold-dev, eval/gold-corpus and corpus (optional)")
    ap.add_argument("--min-seconds", type=float, default=2.0, help="time spent per extractor for MB/s")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)

    extractors: list[tuple[str, Callable[[str], list[dict]]]] = [("ours (pipeline.extract.amounts)", ours)]
    jio = load_jionlp()
    if jio is not None:
        extractors.append((f"JioNLP {jio[1]} extract_money", jio[0]))
    sets, absent = gold_sets(args.shared)
    print("Both extractors read the same measure texts, built with pipeline.clean + "
          "pipeline.segment.segment_file. Matched as eval/score.py matches a package: text file + "
          "min/max yuan, one to one, nearest line; qualifier accuracy on the matched ones. "
          "MB/s: extraction only, best pass.")
    everything = []
    for gold in sets:
        heading, results = compare(gold, extractors, args.min_seconds)
        print(f"\n{heading}\n\n{table(results)}")
        for r in results:
            if r["missed"]:
                print(f"\n{r['name']} missed {len(r['missed'])}: " + "; ".join(r["missed"]))
        everything += results
    for note in absent:
        print(f"\nnot scored: {note} (give --shared)")
    if jio is None:
        print("\nJioNLP is not installed: `pip install jionlp` (or `nox -s compare`) for its row.")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(everything, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
