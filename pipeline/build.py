"""The build: every seed through clean → segment → classify, then validate → publish.

The per-file stages are pure and independent, so they run in this process, in a pool of
worker processes, or on a Dask cluster, with byte-identical results: results are merged in
file-name order, whatever order they finish in.
"""
from __future__ import annotations

import fcntl
import hashlib
import math
import os
import re
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import cn2an

from pipeline.classify import FileRecords, classify_file
from pipeline.clean import CLOSERS, TERMINAL, Line, clean_lines, decode, squeeze
from pipeline.errors import EXIT_NO_INPUT, InputError, LockedError, PipelineError, ProcessingFailure
from pipeline.extract.agencies import agency_by_id
from pipeline.publish import publish
from pipeline.release import finish_descriptor
from pipeline.schema import resource_names
from pipeline.segment import Document, is_date_line, is_issuer, segment_file
from pipeline.validate import validate_tables

MAX_SEED_BYTES = 256 * 1024 * 1024
PER_FILE_STAGES = ("clean", "segment", "classify")


@dataclass
class FileResult:
    name: str
    sha256: str = ""
    size: int = 0
    records: FileRecords | None = None
    error: InputError | None = None
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class BuildSummary:
    target: Path
    version: str
    rows: dict[str, int]
    warnings: list[str]
    skipped: list[dict]
    seconds: dict[str, float]
    input_bytes: int
    bump: str
    changed: bool


def seed_files(seeds_dir: Path) -> list[Path]:
    def no_input(message: str) -> PipelineError:
        error = PipelineError(f"{seeds_dir}: {message}")
        error.exit_status = EXIT_NO_INPUT
        return error

    if not seeds_dir.is_dir():
        raise no_input("no such folder of seed texts")
    try:
        files = sorted(p for p in seeds_dir.iterdir() if p.name.endswith(".txt") and not p.name.startswith("."))
    except OSError as error:
        raise no_input(f"the seed folder cannot be listed ({error.strerror or error})") from None
    if not files:
        raise no_input("no *.txt seed files")
    return files


def display_name(name: str) -> str:
    """A file name as it can be printed and stored: bytes that are not UTF-8 shown as \\xNN."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def read_seed(path: Path, seeds_dir: Path) -> bytes:
    """The raw bytes of a seed, refusing links out of the seed folder and oversized files."""
    name = display_name(path.name)
    try:
        resolved = path.resolve()
        if path.is_symlink() and seeds_dir.resolve() not in resolved.parents:
            raise InputError(name, None, "symlink", f"a link to {resolved}, outside {seeds_dir}")
        if not resolved.is_file():
            raise InputError(name, None, "unreadable", "not a regular file (a folder, a device or a broken link)")
        with resolved.open("rb") as fh:
            data = fh.read(MAX_SEED_BYTES + 1)
    except (OSError, RuntimeError) as error:  # no permission, a link loop, an I/O error
        reason = getattr(error, "strerror", None) or str(error)
        raise InputError(name, None, "unreadable", f"cannot be read: {reason}") from None
    if len(data) > MAX_SEED_BYTES:
        raise InputError(name, None, "too_large", f"more than {MAX_SEED_BYTES} bytes")
    return data


# The largest amount a policy text can mean: 1000万亿元, several times China's yearly GDP.
MAX_PLAUSIBLE_CNY = 1e15
SCIENTIFIC_AMOUNT = re.compile(r"(?<![0-9A-Za-z.])\d+(?:\.\d+)?\s*[eE]\s*[+-]?\d+\s*[万亿千百]*\s*元")


def process_file(path: str, seeds_dir: str) -> FileResult:
    """clean → segment → classify for one seed; input errors are returned, not raised.

    A stage failing on a file that could be read (a defect of ours on this text) is returned
    as a ProcessingFailure naming the file, the stage and the code that failed, so the build
    reports it instead of crashing; PIPELINE_DEBUG=1 lets it raise, with its traceback.
    """
    seed = Path(path)
    result = FileResult(display_name(seed.name))
    name = result.name
    stage = "clean"
    try:
        started = time.perf_counter()
        if name != seed.name:
            raise InputError(name, None, "name", "the file name is not valid UTF-8: rename the file")
        data = read_seed(seed, Path(seeds_dir))
        result.sha256, result.size = hashlib.sha256(data).hexdigest(), len(data)
        notes: list[str] = []
        text = decode(data, name, notes)
        lines = clean_lines(text)
        if not lines:
            raise InputError(name, None, "empty", "nothing left after removing page artefacts")
        result.seconds["clean"] = time.perf_counter() - started
        stage, started = "segment", time.perf_counter()
        docs = segment_file(lines, text.split("\n"))
        result.seconds["segment"] = time.perf_counter() - started
        stage, started = "classify", time.perf_counter()
        records = classify_file(docs, name, result.sha256)
        notes += cut_off_warning(lines, name) + numbering_warnings(docs, name)
        notes += implausible_amounts(records, text, name)
        records.warnings[:0] = notes
        result.records = records
        result.seconds["classify"] = time.perf_counter() - started
    except InputError as error:
        result.error = error
    except Exception as error:  # a defect of ours on this text: name the file, keep the package
        if os.environ.get("PIPELINE_DEBUG"):
            raise
        result.error = ProcessingFailure(name, None, "internal", failure_message(stage, error))
    return result


def failure_message(stage: str, error: Exception) -> str:
    """What failed, and where in our code, in one line for the build summary."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if f"{os.sep}pipeline{os.sep}" in f.filename] or frames
    where = f" at {Path(ours[-1].filename).name}:{ours[-1].lineno} in {ours[-1].name}" if ours else ""
    return (f"the {stage} stage failed on this text ({type(error).__name__}: {error}{where}); "
            "rerun with PIPELINE_DEBUG=1 for the traceback and report it")


def cut_off_warning(lines: list[Line], name: str) -> list[str]:
    """A text whose last line stops mid-sentence was probably cut off."""
    last = lines[-1]
    text = squeeze(last.text)
    if not text or text[-1] in TERMINAL or text[-1] in CLOSERS or is_date_line(text) or is_issuer(text):
        return []
    return [f"{name}:{last.number}: the text ends mid-sentence (“…{text[-12:]}”): is the file cut off?"]


def label_value(label: str, style: str) -> int | None:
    digits = re.sub(r"[^0-9一二三四五六七八九十百零〇两①-⑳]", "", label.removeprefix("第"))
    if not digits:
        return None
    if style == "circled":
        return ord(digits) - ord("①") + 1
    if digits.isdigit():
        return int(digits)
    try:
        return int(cn2an.cn2an(digits.replace("〇", "零"), "smart"))
    except (ValueError, KeyError):
        return None


def numbering_warnings(docs: list[Document], name: str) -> list[str]:
    """Numbering that skips or goes back (`一、三、`, `（一）（一）`): the labels are kept as
    printed, but a lost item or a missed document start may hide behind it.

    Sub-items may count on under each parent (`（一）（二）` | `（三）`) or restart at 1."""
    warnings = []
    for doc in docs:
        in_parent: dict[tuple[int | None, str], tuple[int, str]] = {}
        in_document: dict[str, int] = {}
        for item in doc.items:
            if item.label is None or item.style in (None, "table"):
                continue
            value = label_value(item.label, item.style)
            if value is None:
                continue
            before = in_parent.get((item.parent, item.style))
            if before is not None and value != before[0] + 1:
                what = "repeats" if value == before[0] else "goes back" if value < before[0] else "skips"
                warnings.append(f"{name}:{item.body.line_start}: numbering {what} from "
                                f"{before[1]} to {item.label}")
            elif before is None and value not in (1, in_document.get(item.style, 0) + 1):
                warnings.append(f"{name}:{item.body.line_start}: numbering starts at {item.label}")
            in_parent[(item.parent, item.style)] = (value, item.label)
            in_document[item.style] = value
    return warnings


def implausible_amounts(records: FileRecords, text: str, name: str) -> list[str]:
    """Amounts no budget can hold (`100000000000000000000亿元`) are not published, with a
    warning naming the line; nor is a sum written in scientific notation (`1e20 元`) read."""
    warnings = []
    for table, low, high in (("amounts", "min_cny", "max_cny"), ("targets", "min_value", "max_value")):
        kept = []
        for row in records.rows.get(table, []):
            values = [row[low], row[high]]
            money = table == "amounts" or row.get("unit") == "CNY"
            if all(math.isfinite(v) for v in values) and not (money and max(values) > MAX_PLAUSIBLE_CNY):
                kept.append(row)
                continue
            warnings.append(f"{name}:{row['line']}: {'amount' if table == 'amounts' else 'target'} "
                            f"“{row['text']}” ({max(values):.3g} 元) is beyond any budget "
                            f"(more than {MAX_PLAUSIBLE_CNY:.0e} 元): not published")
        if table in records.rows:
            records.rows[table] = kept
    for m in SCIENTIFIC_AMOUNT.finditer(text):
        warnings.append(f"{name}:{text.count(chr(10), 0, m.start()) + 1}: “{m.group(0)}” is in "
                        "scientific notation, which no policy text uses: not read as an amount")
    return warnings


def run_local(paths: list[Path], seeds_dir: Path, workers: int, on_done: Callable[[FileResult], None]) -> list[FileResult]:
    if workers <= 1:
        results = []
        for path in paths:
            results.append(process_file(str(path), str(seeds_dir)))
            on_done(results[-1])
        return results
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = []
        for result in pool.map(process_file, [str(p) for p in paths], [str(seeds_dir)] * len(paths)):
            results.append(result)
            on_done(result)
        return results


def run_dask(paths: list[Path], seeds_dir: Path, workers: int, scheduler: str | None,
             on_done: Callable[[FileResult], None]) -> list[FileResult]:
    """The same per-file stages on a Dask distributed cluster (a local one without --scheduler)."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as error:
        raise PipelineError("--executor dask needs the optional extra: pip install 'pipeline[dask]'") from error
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = client.map(process_file, [str(p) for p in paths], seeds_dir=str(seeds_dir), pure=False)
        for future in as_completed(futures):
            on_done(future.result())
        return client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def merge(results: list[FileResult]) -> tuple[dict[str, list[dict]], list[str]]:
    """One table per resource, in file order; agencies merged across files with their lineage."""
    tables: dict[str, list[dict]] = {name: [] for name in resource_names()}
    warnings: list[str] = []
    agencies: dict[str, dict] = {}
    for result in results:
        records = result.records
        if records is None:
            continue
        for name, rows in records.rows.items():
            tables[name].extend(rows)
        warnings.extend(records.warnings)
        for agency_id, agency in records.agencies.items():
            known = agencies.setdefault(agency_id, {**agency, "met": set()})
            known["met"] |= agency["met"]
    pending = [a["successor_id"] for a in agencies.values() if a.get("successor_id")]
    while pending:
        successor = pending.pop()
        if successor in agencies:
            continue
        agency = agency_by_id(successor)
        if agency is None:
            raise PipelineError(f"agency registry: successor {successor} is not in the registry")
        agencies[successor] = {**agency, "met": set()}
        if agency.get("successor_id"):
            pending.append(agency["successor_id"])
    tables["agencies"] = [
        {
            "agency_id": agency_id,
            "name": a["name"],
            "short_names": "|".join(sorted(a["met"] - {a["name"]})) or None,
            "level": a["level"],
            "jurisdiction": a.get("jurisdiction"),
            "successor_id": a.get("successor_id"),
            "in_registry": a.get("known", True),
        }
        for agency_id, a in sorted(agencies.items())
    ]
    return tables, sorted(set(warnings), key=warnings.index)


@contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """One build at a time per package folder; a second one is told, not queued."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.parent / f".{target.name}.lock"
    with lock_path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise LockedError(f"{target}: another build is running ({holder}); try again when it ends") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


def build(
    seeds_dir: Path,
    target: Path,
    *,
    workers: int = 1,
    executor: str = "process",
    scheduler: str | None = None,
    keep_going: bool = False,
    on_done: Callable[[FileResult], None] = lambda result: None,
    before_swap: Callable[[Path], None] | None = None,
) -> BuildSummary:
    paths = seed_files(seeds_dir)
    seconds: dict[str, float] = dict.fromkeys((*PER_FILE_STAGES, "validate", "publish"), 0.0)
    wall = time.perf_counter()
    with build_lock(target):
        if executor == "dask":
            results = run_dask(paths, seeds_dir, workers, scheduler, on_done)
        else:
            results = run_local(paths, seeds_dir, workers, on_done)
        failed = [r for r in results if r.error is not None]
        if failed and not keep_going:
            raise failed[0].error if len(failed) == 1 else InputError(
                failed[0].name, failed[0].error.line, failed[0].error.code,
                "; ".join(str(r.error) for r in failed),
            )
        skipped = [{"path": r.name, "reason": str(r.error)} for r in failed]
        kept, seen = [], {}
        for result in results:
            if result.error is not None:
                continue
            if result.sha256 in seen:  # the same text under two names would count everything twice
                skipped.append({"path": result.name, "reason": f"same content as {seen[result.sha256]}"})
                continue
            seen[result.sha256] = result.name
            kept.append(result)
            for stage, spent in result.seconds.items():
                seconds[stage] += spent
        if not kept:
            raise PipelineError("no seed file could be read: nothing to publish")
        tables, warnings = merge(kept)
        started = time.perf_counter()
        validate_tables(tables)
        seconds["validate"] = time.perf_counter() - started
        started = time.perf_counter()
        sources = [{"title": r.name, "path": f"seeds/{r.name}", "sha256": r.sha256, "bytes": r.size} for r in kept]
        release: dict = {}

        def describe(staged: Path, descriptor: dict) -> dict:
            if skipped:
                descriptor["skippedSources"] = skipped
            final, info = finish_descriptor(staged, descriptor, target)
            release.update(info)
            return final

        descriptor = publish(tables, target, sources, describe, before_swap)
        seconds["publish"] = time.perf_counter() - started
    seconds["wall"] = time.perf_counter() - wall
    return BuildSummary(
        target=target,
        version=descriptor["version"],
        rows={name: len(tables[name]) for name in resource_names()},
        warnings=warnings,
        skipped=skipped,
        seconds=seconds,
        input_bytes=sum(r.size for r in kept),
        bump=release.get("bump", "none"),
        changed=release.get("changed", True),
    )
