"""Benchmark case of the readers (pipeline/readers): web pages, Word files and PDFs per second.

usage: python scripts/bench_readers.py [--copies 20] [--pdf-copies 2] [--workers 2] [--repeat 3]
                                       [--out bench]
(`python scripts/bench.py` runs it too, unless given --no-readers.)

The five seeds, cleaned into paragraphs, and the example notice of scripts/formats.py (with
Word list numbering and a ruled responsibility table) are written as saved web pages, Word
files and PDFs by scripts/formats.py (A4, 12 pt CJK font, running header, page numbers), each copy with a
last paragraph of its own (`（副本 k）`) so that the build reads every copy (it skips a text it
has read). For each format three figures, the best of `--repeat` runs:

- reader: `read_source` alone on every file, in this process (one core), from bytes in memory
  to the text the cleaning stage takes;
- read stage: the `read` seconds of `python -m pipeline build --workers W` on the format's
  folder (summed over the workers, so the rate is files × W / seconds);
- whole build: that build timed from start to exit (interpreter start, clean, segment,
  classify, validate and publish included).

Targets: PDF ≥ 20 pages/s and DOCX, HTML ≥ 50 files/s in the build's read stage.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import formats  # noqa: E402

FORMATS = ("html", "docx", "pdf")
TARGETS = {"pdf": ("pages", 20.0), "docx": ("files", 50.0), "html": ("files", 50.0)}
MARKER = "（副本 {k}）"


def seed_blocks(seeds: Path) -> dict[str, list[tuple]]:
    """Each seed as paragraphs (the cleaning stage's), one block per paragraph."""
    from pipeline.clean import clean_lines, decode, join_paragraphs

    out = {}
    for seed in sorted(seeds.glob("*.txt")):
        paragraphs = join_paragraphs(clean_lines(decode(seed.read_bytes(), seed.name)))
        out[seed.stem] = [("para", p.text) for p in paragraphs]
    out["example"] = formats.example()  # numbered items and a ruled table (pdfplumber's part)
    return out


def make_folders(seeds: Path, out: Path, copies: dict[str, int]) -> dict[str, Path]:
    """`out/readers-<format>/` with the seeds' copies in that format (kept while unchanged)."""
    blocks = seed_blocks(seeds)
    stamp = hashlib.sha256(json.dumps([blocks, copies, MARKER], ensure_ascii=False).encode()
                           + Path(formats.__file__).read_bytes()).hexdigest()
    folders = {}
    for source_format in FORMATS:
        folder = folders[source_format] = out / f"readers-{source_format}"
        if (folder / ".stamp").is_file() and (folder / ".stamp").read_text() == stamp:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for stem, seed in blocks.items():
            for k in range(copies[source_format]):
                copy = [*seed, ("para", MARKER.format(k=k))]
                (folder / f"{stem}-c{k:03d}.{source_format}").write_bytes(formats.WRITERS[source_format](copy))
        (folder / ".stamp").write_text(stamp)
    return folders


def pdf_pages(folder: Path) -> int:
    import pypdfium2 as pdfium

    total = 0
    for path in folder.glob("*.pdf"):
        document = pdfium.PdfDocument(path)
        total += len(document)
        document.close()
    return total


def time_reading(folder: Path, repeat: int) -> float:
    """Seconds to read every file of the folder, best of `repeat` (imports warmed first)."""
    from pipeline.readers import read_source

    files = [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if not p.name.startswith(".")]
    read_source(*reversed(files[0]))  # warm: imports and font caches
    best = float("inf")
    for _ in range(max(repeat, 1)):
        started = time.perf_counter()
        for name, data in files:
            read_source(data, name)
        best = min(best, time.perf_counter() - started)
    return best


def time_build(folder: Path, target: Path, workers: int, repeat: int) -> dict:
    """Wall seconds of `python -m pipeline build` on the folder, best of `repeat`, and its timings."""
    best: dict = {}
    for _ in range(max(repeat, 1)):
        shutil.rmtree(target, ignore_errors=True)
        timings = target.parent / f"{target.name}.timings.json"
        command = [sys.executable, "-m", "pipeline", "build", "--seeds", str(folder), "--out", str(target),
                   "--workers", str(workers), "--no-progress", "--timings", str(timings)]
        started = time.perf_counter()
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - started
        if run.returncode != 0:
            sys.exit(f"error: the build of {folder} failed ({run.returncode}):\n{run.stderr[-2000:]}")
        figures = json.loads(timings.read_text("utf-8"))
        if not best or wall < best["wall_s"]:
            best = {"wall_s": wall, "read_s": figures["seconds"].get("read", 0.0),
                    "skipped": figures["skipped"], "rows": sum(figures["rows"].values())}
    shutil.rmtree(target, ignore_errors=True)
    return best


def run(seeds: Path, out: Path, copies: int, pdf_copies: int, workers: int, repeat: int) -> dict:
    folders = make_folders(seeds, out, {"html": copies, "docx": copies, "pdf": pdf_copies})
    cases = []
    for source_format, folder in folders.items():
        files = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        size = sum(p.stat().st_size for p in files)
        pages = pdf_pages(folder) if source_format == "pdf" else None
        read_s = time_reading(folder, repeat)
        built = time_build(folder, out / "runs" / f"readers-{source_format}-pkg", workers, repeat)
        unit, target = TARGETS[source_format]
        count = pages if unit == "pages" else len(files)
        # the read stage's seconds are summed over the workers, which read side by side
        stage_per_s = count * workers / built["read_s"]
        cases.append({
            "format": source_format, "files": len(files), "pages": pages, "mb": size / 1e6,
            "read_s": read_s, "read_per_s": count / read_s,
            "build_wall_s": built["wall_s"], "build_read_s": built["read_s"], "stage_per_s": stage_per_s,
            "build_per_s": count / built["wall_s"], "rows": built["rows"], "skipped": built["skipped"],
            "unit": unit, "target_per_s": target, "met": stage_per_s >= target,
        })
        print(f"{source_format:>5}: {len(files)} files{f', {pages} pages' if pages else ''}: reader "
              f"{count / read_s:.0f} {unit}/s on one core, {stage_per_s:.0f} {unit}/s in the build's read "
              f"stage, whole build {count / built['wall_s']:.0f} {unit}/s ({built['wall_s']:.2f} s, "
              f"{workers} workers)", file=sys.stderr, flush=True)
    return {"workers": workers, "repeat": repeat, "cases": cases}


def markdown(result: dict) -> str:
    lines = [
        "## Readers",
        "",
        "The five seeds and the example notice written as web pages, Word files and PDFs "
        "(`scripts/formats.py`), copies made distinct. *Reader*: `read_source` alone on every "
        f"file, one core, best of {result['repeat']}. *Read stage*: the same in `python -m pipeline "
        f"build --workers {result['workers']}` (its `read` seconds, summed over the workers, shared "
        "among them). *Whole build*: that build from start to exit, best run (interpreter start, "
        "clean, segment, classify, validate, publish included). The target is on the read stage.",
        "",
        "| format | files | PDF pages | MB | reader (1 core) | read stage | whole build | target | rows |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for c in result["cases"]:
        unit = c["unit"]
        lines.append(
            f"| {c['format']} | {c['files']} | {c['pages'] or '—'} | {c['mb']:.2f} "
            f"| {c['read_per_s']:.0f} {unit}/s | {c['stage_per_s']:.0f} {unit}/s "
            f"| {c['build_per_s']:.0f} {unit}/s ({c['build_wall_s']:.2f} s) "
            f"| ≥ {c['target_per_s']:.0f} {unit}/s: {'met' if c['met'] else 'NOT met'} | {c['rows']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=20, help="copies of each seed as HTML and as DOCX")
    ap.add_argument("--pdf-copies", type=int, default=2, help="copies of each seed as PDF")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    ap.add_argument("--out", type=Path, default=ROOT / "bench")
    args = ap.parse_args(argv)
    out = args.out.resolve()
    result = run(args.seeds, out, args.copies, args.pdf_copies, args.workers, args.repeat)
    text = markdown(result)
    (out / "readers.md").write_text(text, encoding="utf-8")
    (out / "readers.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
