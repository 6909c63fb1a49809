"""Benchmark: the build on 1×, 10× and 100× the seeds, and amount extraction against JioNLP.

usage: python scripts/bench.py [--sizes 1,10,100] [--workers 2] [--executor process|dask]
                               [--repeat 3] [--out bench] [--no-seeds] [--no-extract] [--no-readers]

For each size N, `bench/corpus-Nx/` holds N copies of every seed under distinct names
(`<stem>-cNNN.txt`). The build skips a file whose bytes equal another file's, so each copy gets
one line of its own appended at the end, `（副本 k）` (it adds a measure or a few characters to
the copy's last document; every resource grows N×, except agencies, which copies share). Each
build runs as a process of its own, `python -m pipeline build --seeds … --out <fresh folder>
--workers W --no-progress --timings …`, timed from start to exit (interpreter start and imports included). Peak memory is read two
ways: the largest resident set of any one process of the build (`wait4` rusage of the child,
which covers the workers it reaped) and the largest sum over the build's process tree (polled
with psutil every 50 ms, shared pages counted once per process, so an upper bound).

The five seeds themselves are also built as `python -m pipeline build` would (one process,
after one untimed build so that the disk cache is warm), once into a fresh folder and once
again over that package (nothing changed: the comparison with the previous package is part
of what `nox -s build` does every time).

Per-stage seconds come from the build's `--timings` file: clean, segment and classify are
summed over files, so with several workers they add up to more than the wall time.

Then amount extraction alone: every measure text of the 10× corpus (cleaned and segmented by
the pipeline, see `compare_money.measure_paragraphs`), run through our `extract_amounts` and
through JioNLP's `extract_money` (if installed), in MB of UTF-8 text per second.

Then the readers (scripts/bench_readers.py): web pages, Word files and PDFs made from the seeds,
in files or pages per second, alone and in the build.

Writes `bench/results.md` and `bench/results.json` and prints the Markdown.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare_money import load_jionlp, measure_paragraphs, ours, throughput  # noqa: E402

STAGES = ("clean", "segment", "classify", "validate", "publish")
MARKER = "（副本 {k}）"
POLL_SECONDS = 0.05
TARGETS = {"mb_per_s_100x": 2.0, "ratio_100x_10x": 11.0, "rss_100x_mb": 1024.0, "seeds_wall_s": 2.0}


# ------------------------------------------------------------------ corpora


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


def copy_text(data: bytes, k: int) -> bytes:
    encoding = encoding_of(data)
    newline = "\n".encode(encoding)
    tail = b"" if data.endswith(newline) else newline
    return data + tail + (MARKER.format(k=k) + "\n").encode(encoding)


def make_corpus(seeds: list[Path], folder: Path, copies: int) -> Path:
    """`copies` copies of every seed under distinct names and with distinct bytes."""
    stamp = hashlib.sha256(
        b"".join(p.name.encode() + hashlib.sha256(p.read_bytes()).digest() for p in seeds)
        + f"{copies}|{MARKER}".encode()
    ).hexdigest()
    if (folder / ".stamp").is_file() and (folder / ".stamp").read_text() == stamp:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for seed in seeds:
        data = seed.read_bytes()
        for k in range(copies):
            (folder / f"{seed.stem}-c{k:03d}.txt").write_bytes(copy_text(data, k))
    (folder / ".stamp").write_text(stamp)
    return folder


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.txt"))


# ------------------------------------------------------------------ one build, measured


def tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_build(seeds: Path, out: Path, workers: int, executor: str, log: Path,
              fresh: bool = True) -> dict:
    """One `pipeline build` in a process of its own: wall time, peak memory and its timings."""
    if fresh and out.exists():
        shutil.rmtree(out)
    timings = out.parent / f"{out.name}.timings.json"
    timings.unlink(missing_ok=True)
    command = [sys.executable, "-m", "pipeline", "build", "--seeds", str(seeds), "--out", str(out),
               "--workers", str(workers), "--executor", executor, "--no-progress",
               "--timings", str(timings)]
    try:
        import psutil  # noqa: F401

        poll = True
    except ImportError:
        poll = False
    peak_tree = 0
    with log.open("w", encoding="utf-8") as fh:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if poll:
                peak_tree = max(peak_tree, tree_rss(proc.pid))
            time.sleep(POLL_SECONDS)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"error: build failed ({proc.returncode}), see {log}:\n{log.read_text()[-2000:]}")
    figures = json.loads(timings.read_text("utf-8"))
    rows = sum(figures["rows"].values())
    peak_process = usage.ru_maxrss * 1024  # kilobytes on Linux
    return {
        "files": len(list(seeds.glob("*.txt"))),
        "input_bytes": figures["input_bytes"],
        "skipped": figures["skipped"],
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,  # the build and every worker it reaped
        "build_wall_s": figures["seconds"]["wall"],
        "mb_per_s": figures["input_bytes"] / 1e6 / wall,
        "stages_s": {s: figures["seconds"].get(s, 0.0) for s in STAGES},
        "rows": figures["rows"],
        "rows_total": rows,
        "rows_per_s": rows / wall,
        "peak_rss_process_mb": peak_process / 2**20,
        "peak_rss_tree_mb": peak_tree / 2**20 if poll else None,
    }


def machine_speed() -> float:
    """Seconds of CPU for a fixed pure-Python loop: on a shared virtual machine the host's load
    changes how fast the same work runs, and this shows by how much between runs."""
    started = time.process_time()
    total = 0
    for i in range(20_000_000):
        total += i
    return time.process_time() - started


def best_of(repeat: int, run) -> dict:
    results = [run() for _ in range(max(repeat, 1))]
    best = min(results, key=lambda r: r["wall_s"])
    best["runs"] = len(results)
    best["wall_s_all"] = [round(r["wall_s"], 3) for r in results]
    return best


# ------------------------------------------------------------------ extraction throughput


def extraction(corpus: Path, min_seconds: float) -> dict:
    texts = [p.text for path in sorted(corpus.glob("*.txt")) for p in measure_paragraphs(path)]
    size = sum(len(t.encode("utf-8")) for t in texts)
    out = {"corpus": corpus.name, "texts": len(texts), "mb": size / 1e6, "extractors": []}
    candidates = [("ours: pipeline.extract.amounts.extract_amounts", ours)]
    jio = load_jionlp()
    if jio is not None:
        candidates.append((f"JioNLP {jio[1]}: jionlp.ner.extract_money", jio[0]))
    for name, extract in candidates:
        mentions = sum(len(extract(t)) for t in texts)
        mb_per_s, passes = throughput(extract, texts, min_seconds)
        out["extractors"].append({"name": name, "mentions": mentions, "mb_per_s": mb_per_s, "passes": passes})
    if jio is None:
        out["note"] = "JioNLP not installed (pip install jionlp, or run `nox -s bench`)"
    return out


# ------------------------------------------------------------------ report


def fmt_mb(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def markdown(report: dict) -> str:
    lines = [
        "# Benchmark",
        "",
        f"{report['machine']}; {report['when']}. Each build is `python -m pipeline build` in a process "
        "of its own, into a fresh folder, timed from start to exit; each case is built several times "
        "and its fastest run reported (every run's wall time is in the last column). MB = raw seed text. CPU s: user + "
        "system time of the build and its workers. Stage seconds (elapsed): clean, segment and "
        "classify summed over files (all workers); validate and publish in the main process. "
        "Other processes on the machine slow wall and stage times, not CPU s. Peak RSS: the largest single process / the sum over the "
        "process tree (upper bound).",
        "",
        f"Corpora: N copies of each seed as `<stem>-cNNN.txt`, each with the line `{MARKER.format(k='k')}` "
        "appended so that no two files have the same bytes (the build skips duplicates).",
        "",
        "| case | workers | files | MB | wall s | MB/s | CPU s | clean | segment | classify | validate "
        "| publish | rows | rows/s | peak RSS MB (process / tree) | wall s of every run |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for case in report["builds"]:
        s = case["stages_s"]
        lines.append(
            f"| {case['case']} | {case['workers']} | {case['files']} | {case['input_bytes'] / 1e6:.2f} "
            f"| {case['wall_s']:.2f} | {case['mb_per_s']:.2f} | {case['cpu_s']:.1f} | "
            + " | ".join(f"{s[k]:.2f}" for k in STAGES)
            + f" | {case['rows_total']} | {case['rows_per_s']:.0f} "
            f"| {fmt_mb(case['peak_rss_process_mb'])} / {fmt_mb(case['peak_rss_tree_mb'])} "
            f"| {', '.join(f'{w:.2f}' for w in case['wall_s_all'])} |"
        )
    checks = report.get("checks") or []
    if checks:
        lines += ["", "| target | measured | |", "|---|---:|---|"]
        for c in checks:
            lines.append(f"| {c['target']} | {c['measured']} | {'met' if c['met'] else 'NOT met'} |")
    ex = report.get("extraction")
    if ex:
        lines += [
            "",
            f"Amount extraction alone, same text for both: the {ex['texts']} measure texts of "
            f"`{ex['corpus']}` ({ex['mb']:.2f} MB UTF-8), best pass.",
            "",
            "| extractor | mentions | MB/s |",
            "|---|---:|---:|",
        ]
        for e in ex["extractors"]:
            lines.append(f"| {e['name']} | {e['mentions']} | {e['mb_per_s']:.2f} |")
        if ex.get("note"):
            lines += ["", ex["note"]]
    return "\n".join(lines) + "\n"


def checks(builds: list[dict]) -> list[dict]:
    by_case = {b["case"]: b for b in builds}
    out = []
    if (big := by_case.get("100×")) is not None:
        out.append({"target": f"100× at ≥ {TARGETS['mb_per_s_100x']} MB/s",
                    "measured": f"{big['mb_per_s']:.2f} MB/s", "met": big["mb_per_s"] >= TARGETS["mb_per_s_100x"]})
        out.append({"target": f"peak RSS at 100× ≤ {TARGETS['rss_100x_mb']:.0f} MB (largest process)",
                    "measured": f"{big['peak_rss_process_mb']:.0f} MB",
                    "met": big["peak_rss_process_mb"] <= TARGETS["rss_100x_mb"]})
        if (mid := by_case.get("10×")) is not None:
            ratio = big["wall_s"] / mid["wall_s"]
            out.append({"target": f"time(100×) / time(10×) ≤ {TARGETS['ratio_100x_10x']:.0f}",
                        "measured": f"{ratio:.2f}", "met": ratio <= TARGETS["ratio_100x_10x"]})
    for case in ("seeds", "seeds, again"):
        if (seeds := by_case.get(case)) is not None:
            out.append({"target": f"build on the five seeds ({case}) ≤ {TARGETS['seeds_wall_s']:.0f} s wall",
                        "measured": f"{seeds['wall_s']:.2f} s", "met": seeds["wall_s"] <= TARGETS["seeds_wall_s"]})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,10,100", help="copies of the seeds per corpus")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--executor", choices=("process", "dask"), default="process")
    ap.add_argument("--repeat", type=int, default=3, help="builds per case; the fastest is reported, "
                    "every run is listed")
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    ap.add_argument("--out", type=Path, default=ROOT / "bench")
    ap.add_argument("--no-seeds", action="store_true", help="skip the plain seeds/ builds")
    ap.add_argument("--no-extract", action="store_true", help="skip the extraction comparison")
    ap.add_argument("--extract-seconds", type=float, default=3.0, help="time per extractor")
    ap.add_argument("--no-readers", action="store_true", help="skip the readers' case "
                    "(web pages, Word files, PDFs; see scripts/bench_readers.py)")
    args = ap.parse_args(argv)

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    seeds = sorted(p for p in args.seeds.glob("*.txt") if not p.name.startswith("."))
    out = args.out.resolve()
    runs = out / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    builds = []

    def record(case: str, workers: int, result: dict) -> None:
        result.update(case=case, workers=workers)
        builds.append(result)
        print(f"{case:>14}: {result['input_bytes'] / 1e6:7.2f} MB in {result['wall_s']:7.2f} s "
              f"= {result['mb_per_s']:5.2f} MB/s, {result['rows_total']} rows, "
              f"peak RSS {result['peak_rss_process_mb']:.0f} MB", file=sys.stderr, flush=True)

    load_before, speed_before = os.getloadavg(), machine_speed()
    if not args.no_seeds:
        target = runs / "seeds"
        run_build(args.seeds, target, 1, "process", runs / "warm-up.log")  # untimed: warm caches
        record("seeds", 1, best_of(args.repeat, lambda: run_build(
            args.seeds, target, 1, "process", runs / "seeds.log")))
        record("seeds, again", 1, best_of(args.repeat, lambda: run_build(
            args.seeds, target, 1, "process", runs / "seeds-again.log", fresh=False)))
    for n in sizes:
        corpus = make_corpus(seeds, out / f"corpus-{n}x", n)
        record(f"{n}×", args.workers, best_of(args.repeat, lambda corpus=corpus, n=n: run_build(
            corpus, runs / f"pkg-{n}x", args.workers, args.executor, runs / f"build-{n}x.log")))
        shutil.rmtree(runs / f"pkg-{n}x", ignore_errors=True)

    load = " / ".join(f"{a:.2f}" for a in (*load_before[:1], *os.getloadavg()[:1]))
    speed = [round(speed_before, 2), round(machine_speed(), 2)]
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                   f"load average before / after the builds {load}, a fixed Python loop "
                   f"(`machine_speed`) {speed[0]:.2f} s / {speed[1]:.2f} s",
        "machine_speed_s": speed,
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "executor": args.executor,
        "marker": MARKER,
        "builds": builds,
        "checks": checks(builds),
    }
    if not args.no_extract:
        n = 10 if 10 in sizes else sizes[0]
        report["extraction"] = extraction(make_corpus(seeds, out / f"corpus-{n}x", n), args.extract_seconds)
    text = markdown(report)
    if not args.no_readers:
        import bench_readers

        report["readers"] = bench_readers.run(args.seeds, out, 20, 2, args.workers, args.repeat)
        text += "\n" + bench_readers.markdown(report["readers"])
    (out / "results.md").write_text(text, encoding="utf-8")
    (out / "results.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(text)
    print(f"(written to {out / 'results.md'} and {out / 'results.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
