"""The build: every seed through clean → segment → classify, then validate → publish.

The per-file stages are pure and independent, so they run in this process, in a pool of
worker processes, or on a Dask cluster, with byte-identical results: results are merged in
file-name order, whatever order they finish in.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.classify import FileRecords, classify_file
from pipeline.clean import clean_lines, decode
from pipeline.errors import EXIT_NO_INPUT, InputError, LockedError, PipelineError
from pipeline.extract.agencies import agency_by_id
from pipeline.publish import publish
from pipeline.release import finish_descriptor
from pipeline.schema import resource_names
from pipeline.segment import segment_file
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
    if not seeds_dir.is_dir():
        raise PipelineError(f"{seeds_dir}: no such folder of seed texts")
    files = sorted(p for p in seeds_dir.iterdir() if p.name.endswith(".txt") and not p.name.startswith("."))
    if not files:
        error = PipelineError(f"{seeds_dir}: no *.txt seed files")
        error.exit_status = EXIT_NO_INPUT
        raise error
    return files


def read_seed(path: Path, seeds_dir: Path) -> bytes:
    """The raw bytes of a seed, refusing links out of the seed folder and oversized files."""
    resolved = path.resolve()
    if path.is_symlink() and seeds_dir.resolve() not in resolved.parents:
        raise InputError(path.name, None, "symlink", f"a link to {resolved}, outside {seeds_dir}")
    if not resolved.is_file():
        raise InputError(path.name, None, "unreadable", "not a regular file")
    size = resolved.stat().st_size
    if size > MAX_SEED_BYTES:
        raise InputError(path.name, None, "too_large", f"{size} bytes, more than {MAX_SEED_BYTES}")
    return resolved.read_bytes()


def process_file(path: str, seeds_dir: str) -> FileResult:
    """clean → segment → classify for one seed; input errors are returned, not raised."""
    seed = Path(path)
    result = FileResult(seed.name)
    stage = "clean"
    try:
        started = time.perf_counter()
        data = read_seed(seed, Path(seeds_dir))
        result.sha256, result.size = hashlib.sha256(data).hexdigest(), len(data)
        text = decode(data, seed.name)
        lines = clean_lines(text)
        if not lines:
            raise InputError(seed.name, None, "empty", "nothing left after removing page artefacts")
        result.seconds["clean"] = time.perf_counter() - started
        stage, started = "segment", time.perf_counter()
        docs = segment_file(lines, text.split("\n"))
        result.seconds["segment"] = time.perf_counter() - started
        stage, started = "classify", time.perf_counter()
        result.records = classify_file(docs, seed.name, result.sha256)
        result.seconds["classify"] = time.perf_counter() - started
    except InputError as error:
        result.error = error
    except Exception as error:  # a defect of ours on this text: name the file, keep the package
        if os.environ.get("PIPELINE_DEBUG"):
            raise
        result.error = InputError(
            seed.name, None, "internal",
            f"the {stage} stage failed on this text ({type(error).__name__}: {error}); "
            "rerun with PIPELINE_DEBUG=1 for the traceback and report it",
        )
    return result


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
