"""Our amount extraction against JioNLP's `extract_money`, on the same text, in one run.

usage: python scripts/compare_money.py [--gold ../shared/eval/gold-dev] [--seeds seeds]
                                       [--min-seconds 2] [--json FILE]

Both extractors read the same paragraphs: every seed file the dev gold covers is cleaned and
segmented by the pipeline (`pipeline.clean`, `pipeline.segment.segment_file`) and each measure's
text (what `classify` hands to `extract_amounts`) is given to both. A mention's raw line comes
from `Paragraph.line_at`, so predictions are matched to the gold exactly as
`../shared/eval/score.py` matches a package: by seed and min/max yuan, one to one, nearest line
first, only inside the gold's coverage. Printed for both: precision, recall, F1, qualifier
accuracy on the matched amounts, and throughput in MB of UTF-8 text per second (extraction only,
best of several passes over the text).

JioNLP is an optional dependency of the `compare` and `bench` nox sessions only; without it
only our row is printed. Its answers are mapped onto our record: `detail.num` (one value, or a
[low, high] list) → min_cny/max_cny, converted to yuan only when `detail.case` is 元;
`definition` → qualifier: accurate → exact, blur- → max, blur+ → min, blur with one value →
approx, blur with two values → approx when the text says 余/多/几/数 (JioNLP turns `3亿余元`
into [3亿, 4亿]) else range.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.classify import table_items
from pipeline.clean import Paragraph, clean_lines, decode
from pipeline.extract.amounts import extract_amounts
from pipeline.segment import segment_file

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "gold-dev"
APPROX_MARKS = "余多几数"


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
            values = [float(v) for v in (nums if isinstance(nums, list) else [nums])]
            if detail.get("case") != "元":
                values = [float("nan")] * len(values)  # another currency: never matches yuan gold
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


# ------------------------------------------------------------------ scoring


def load_scorer(path: Path):
    """`score.py` beside the gold, imported so that matching is exactly the official one."""
    spec = importlib.util.spec_from_file_location("gold_score", path)
    if spec is None or not path.is_file():
        sys.exit(f"error: {path}: no scorer (give --scorer)")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_gold(gold: Path) -> tuple[list[dict], dict]:
    rows = []
    for path in sorted(gold.glob("*_amounts.jsonl")):
        rows += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    coverage_path = gold / "coverage.json"
    coverage = (json.loads(coverage_path.read_text("utf-8")) if coverage_path.is_file()
                else {seed: [] for seed in {r["seed"] for r in rows}})
    return rows, coverage


def predictions(extract: Callable[[str], list[dict]], paragraphs: dict[str, list[Paragraph]],
                coverage: dict, scorer) -> list[dict]:
    out = []
    for seed, paras in paragraphs.items():
        for para in paras:
            for mention in extract(para.text):
                line = para.line_at(mention["start"])
                if scorer.covered(coverage, seed, line):
                    out.append({**mention, "seed": seed, "line": line})
    return out


def score(extract, paragraphs, gold_rows, coverage, scorer) -> dict:
    pred = predictions(extract, paragraphs, coverage, scorer)

    def same(g: dict, p: dict) -> bool:
        return (g["seed"] == p["seed"] and scorer.close(scorer.num(g["min_cny"]), p["min_cny"])
                and scorer.close(scorer.num(g["max_cny"]), p["max_cny"]))

    pairs, n_gold, n_pred = scorer.pair(gold_rows, pred, same)
    result = scorer.prf(len(pairs), n_pred, n_gold)
    result["qualifier"] = scorer.accuracy(pairs, "qualifier")
    result["missed"] = [f"{g['seed'][:3]}:{g['line']} {g['quote']}" for g in gold_rows
                        if not g.get("ambiguous") and all(g is not pg for pg, _ in pairs)]
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold folder (*_amounts.jsonl, coverage.json)")
    ap.add_argument("--scorer", type=Path, default=None, help="score.py to match with (default: beside the gold)")
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    ap.add_argument("--min-seconds", type=float, default=2.0, help="time spent per extractor for MB/s")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)

    scorer = load_scorer(args.scorer or args.gold.parent / "score.py")
    gold_rows, coverage = load_gold(args.gold)
    paragraphs = {seed: list(measure_paragraphs(args.seeds / seed)) for seed in sorted(coverage)}
    texts = [p.text for paras in paragraphs.values() for p in paras]
    size = sum(len(t.encode("utf-8")) for t in texts)
    spans = ", ".join(f"{s[:3]} " + (", ".join(f"lines {a}–{b}" for a, b in coverage[s]) or "whole")
                      for s in sorted(coverage))

    extractors: list[tuple[str, Callable[[str], list[dict]]]] = [("ours (pipeline.extract.amounts)", ours)]
    jio = load_jionlp()
    if jio is not None:
        extractors.append((f"JioNLP {jio[1]} extract_money", jio[0]))
    results = []
    for name, extract in extractors:
        result = score(extract, paragraphs, gold_rows, coverage, scorer)
        result["mb_per_s"], result["passes"] = throughput(extract, texts, args.min_seconds)
        results.append({"name": name, **result})

    print(f"Amounts on the dev-gold seeds ({spans}): {len(gold_rows)} gold amounts; both extractors "
          f"read the same {len(texts)} measure texts ({size / 1e6:.3f} MB UTF-8, whole files) "
          f"built with pipeline.clean + pipeline.segment.segment_file.")
    print("Matched as score.py does: seed + min/max yuan, one to one, nearest line; qualifier "
          "accuracy on the matched ones. MB/s: extraction only, best pass.\n")
    print(table(results))
    if jio is None:
        print("\nJioNLP is not installed: `pip install jionlp` (or `nox -s compare`) for its row.")
    for r in results:
        if r["missed"]:
            print(f"\n{r['name']} missed {len(r['missed'])}: " + "; ".join(r["missed"]))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
