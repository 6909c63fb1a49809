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
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.checks import cut_off_warning, implausible_amounts, numbering_warnings
from pipeline.classify import FileRecords, classify_file, id_prefix
from pipeline.clean import clean_lines
from pipeline.errors import (
    EXIT_NO_INPUT,
    InputError,
    LockedError,
    PipelineError,
    ProcessingFailure,
    ValidationFailure,
)
from pipeline.extract.agencies import agency_by_id
from pipeline.readers import format_of, read_source, unsupported_reason
from pipeline.segment import segment_file
from pipeline.validate import KeyIndex, validate_file_records, validate_records

MAX_SEED_BYTES = 256 * 1024 * 1024
PER_FILE_STAGES = ("read", "clean", "segment", "classify")


@dataclass
class FileResult:
    name: str
    sha256: str = ""
    text_sha256: str = ""  # of the decoded text: the same text in two encodings is one text
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


@dataclass
class SeedFolder:
    """The files of a seed folder a reader takes, and every other file with the reason it is
    not read (for the build summary and the descriptor's `skippedSources`)."""

    files: list[Path]
    skipped: list[dict]


def discover_seeds(seeds_dir: Path) -> SeedFolder:
    """Every file under the seed folder, subfolders included, in path order. Hidden files and
    folders (a name starting with `.`) are left out unmentioned, like `ls` does; a link to a
    folder is not followed (and is listed)."""
    def no_input(message: str) -> PipelineError:
        error = PipelineError(f"{seeds_dir}: {message}")
        error.exit_status = EXIT_NO_INPUT
        return error

    if not seeds_dir.is_dir():
        raise no_input("no such folder of seed texts")
    found: list[tuple[str, Path]] = []
    skipped: list[dict] = []
    folders = [seeds_dir]
    try:
        while folders:
            for entry in folders.pop().iterdir():
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    if entry.is_symlink():
                        skipped.append({"path": relative_name(entry, seeds_dir),
                                        "reason": "a link to a folder: not followed"})
                    else:
                        folders.append(entry)
                else:
                    found.append((relative_name(entry, seeds_dir), entry))
    except OSError as error:
        raise no_input(f"the seed folder cannot be listed ({error.strerror or error})") from None
    files: list[Path] = []
    prefixes: dict[str, str] = {}
    for name, path in sorted(found):
        if format_of(name) is None:
            skipped.append({"path": name, "reason": unsupported_reason(name)})
        elif (twin := prefixes.setdefault(id_prefix(name), name)) != name:
            skipped.append({"path": name, "reason": f"its row ids would be those of {twin}: rename one of them"})
        else:
            files.append(path)
    if not files:
        others = f" ({len(skipped)} other file(s): {', '.join(s['path'] for s in skipped[:5])})" if skipped else ""
        raise no_input(f"no seed files (.txt, .md, .html, .htm, .docx, .pdf){others}")
    return SeedFolder(files, sorted(skipped, key=lambda s: s["path"]))


def seed_files(seeds_dir: Path) -> list[Path]:
    """The files of the seed folder the build reads."""
    return discover_seeds(seeds_dir).files


def relative_name(path: Path, seeds_dir: Path) -> str:
    """A file's path in the seed folder as it is stored (`/`-separated, printable)."""
    return display_name(path.relative_to(seeds_dir).as_posix())


def display_name(name: str) -> str:
    """A file name as it can be printed and stored: bytes that are not UTF-8 shown as \\xNN."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def read_seed(path: Path, seeds_dir: Path) -> bytes:
    """The raw bytes of a seed, refusing links out of the seed folder and oversized files."""
    name = relative_name(path, seeds_dir)
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


def process_file(path: str, seeds_dir: str) -> FileResult:
    """clean → segment → classify for one seed; input errors are returned, not raised.

    A stage failing on a file that could be read (a defect of ours on this text) is returned
    as a ProcessingFailure naming the file, the stage and the code that failed, so the build
    reports it instead of crashing; PIPELINE_DEBUG=1 lets it raise, with its traceback.
    """
    seed = Path(path)
    relative = seed.relative_to(seeds_dir).as_posix()
    result = FileResult(display_name(relative))
    name = result.name
    stage = "read"
    try:
        started = time.perf_counter()
        if name != relative:
            raise InputError(name, None, "name", "the file name is not valid UTF-8: rename the file")
        data = read_seed(seed, Path(seeds_dir))
        result.sha256, result.size = hashlib.sha256(data).hexdigest(), len(data)
        notes: list[str] = []
        reading = read_source(data, name, notes)
        text = reading.text
        result.seconds["read"] = time.perf_counter() - started
        stage, started = "clean", time.perf_counter()
        lines = clean_lines(text, name, notes)  # notes: how much web-page furniture was dropped
        if not lines:
            raise InputError(name, None, "empty", "nothing left after removing page artefacts")
        # What the text says, whatever its line breaks and furniture: the same document as
        # .txt and as .pdf is one document (the later file is skipped as a duplicate).
        result.text_sha256 = hashlib.sha256("".join(line.compact for line in lines).encode("utf-8")).hexdigest()
        result.seconds["clean"] = time.perf_counter() - started
        stage, started = "segment", time.perf_counter()
        docs = segment_file(lines, text.split("\n"))
        result.seconds["segment"] = time.perf_counter() - started
        stage, started = "classify", time.perf_counter()
        records = classify_file(docs, name, result.sha256, reading.source_format, reading.line_pages)
        notes += cut_off_warning(lines, name) + numbering_warnings(docs, name)
        notes += implausible_amounts(records, text, name)
        records.warnings[:0] = notes
        result.seconds["classify"] = time.perf_counter() - started
        stage, started = "validate", time.perf_counter()
        validate_file_records(records.rows, name)
        result.records = records
        result.seconds["validate"] = time.perf_counter() - started
    except (InputError, ValidationFailure) as error:
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


@contextmanager
def per_file_results(paths: list[Path], seeds_dir: Path, *, workers: int, executor: str,
                     scheduler: str | None) -> Iterator[Iterator[FileResult]]:
    """Per-file results in file order: from this process, a pool of worker processes or a
    Dask cluster. The pool starts at once, so that its workers run while this process goes on
    preparing the output; leaving the block stops it, cancelling what has not started."""
    if executor == "dask":
        results = run_dask(paths, seeds_dir, workers, scheduler)
        try:
            yield results
        finally:
            results.close()
        return
    if workers <= 1:
        yield (process_file(str(path), str(seeds_dir)) for path in paths)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = deque(pool.submit(process_file, str(path), str(seeds_dir)) for path in paths)
        try:
            # popped as handed on, so that a result is let go once it is written
            yield (futures.popleft().result() for _ in range(len(futures)))
        finally:
            pool.shutdown(cancel_futures=True)


def run_dask(paths: list[Path], seeds_dir: Path, workers: int, scheduler: str | None) -> Iterator[FileResult]:
    """The same per-file stages on a Dask distributed cluster (a local one without --scheduler).

    Paths are sent absolute, so workers started in another folder find the files; results
    arrive in any order and are handed on in file order."""
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
        futures = client.map(process_file, [str(p.absolute()) for p in paths],
                             seeds_dir=str(seeds_dir.absolute()), pure=False)
        position = {future.key: i for i, future in enumerate(futures)}
        ready: dict[int, FileResult] = {}
        next_index = 0
        for future, result in as_completed(futures, with_results=True):
            ready[position[future.key]] = result
            while next_index in ready:
                yield ready.pop(next_index)
                next_index += 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class AgencyTable:
    """Agencies met in every file, merged: the short forms met, and each successor body."""

    def __init__(self) -> None:
        self.agencies: dict[str, dict] = {}

    def add(self, agencies: dict[str, dict]) -> None:
        for agency_id, agency in agencies.items():
            known = self.agencies.setdefault(agency_id, {**agency, "met": set()})
            known["met"] |= agency["met"]

    def rows(self) -> list[dict]:
        agencies = dict(self.agencies)
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
        return [
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


def failed_build(failed: list[FileResult]) -> PipelineError:
    """One error for a strict build, naming every file that could not be read."""
    if len(failed) == 1:
        return failed[0].error
    first = failed[0].error
    error = InputError(failed[0].name, first.line, first.code, "; ".join(str(r.error) for r in failed))
    error.exit_status = first.exit_status
    return error


def build(
    seeds_dir: Path,
    target: Path,
    *,
    workers: int = 1,
    executor: str = "process",
    scheduler: str | None = None,
    keep_going: bool = False,
    on_done: Callable[[FileResult], None] = lambda result: None,
    on_stage: Callable[[str], None] = lambda stage: None,
    before_swap: Callable[[Path], None] | None = None,
) -> BuildSummary:
    """Run every seed through the per-file stages and publish what they give, streaming:
    each file's records are written as they arrive (in file order) and then let go."""
    folder = discover_seeds(seeds_dir)
    paths = folder.files
    seconds: dict[str, float] = dict.fromkeys((*PER_FILE_STAGES, "validate", "publish"), 0.0)
    wall = time.perf_counter()
    failed: list[FileResult] = []
    skipped: list[dict] = list(folder.skipped)
    sources: list[dict] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    agencies = AgencyTable()
    keys = KeyIndex()
    with build_lock(target), per_file_results(paths, seeds_dir, workers=workers, executor=executor,
                                              scheduler=scheduler) as results:
        # Imported once the workers run: they do not need Arrow, and forking before Arrow has
        # started its threads is the safe order.
        from pipeline.publish import PackageWriter, check_written, descriptor_for, finish, staging
        from pipeline.release import finish_descriptor

        with staging(target) as staged:
            writer = PackageWriter(staged)
            try:
                for result in results:
                    on_done(result)
                    if result.error is not None:
                        failed.append(result)
                        skipped.append({"path": result.name, "reason": result.error.reason})
                        continue
                    if result.text_sha256 in seen:  # the same text twice would count everything twice
                        skipped.append({"path": result.name, "reason": f"same text as {seen[result.text_sha256]}"})
                        continue
                    seen[result.text_sha256] = result.name
                    sources.append({"title": result.name, "path": f"seeds/{result.name}",
                                    "sha256": result.sha256, "bytes": result.size})
                    for stage, spent in result.seconds.items():
                        seconds[stage] += spent
                    if failed and not keep_going:
                        continue  # the build fails: only collect the other failures
                    started = time.perf_counter()
                    for name, rows in result.records.rows.items():
                        keys.add(name, rows)
                        writer.add(name, rows)
                    agencies.add(result.records.agencies)
                    warnings.extend(w for w in result.records.warnings if w not in warnings)
                    seconds["publish"] += time.perf_counter() - started
                if failed and not keep_going:
                    raise failed_build(failed)
                if not sources:
                    raise PipelineError("no seed file could be read: nothing to publish")
                on_stage("validate keys")
                started = time.perf_counter()
                agency_rows = agencies.rows()
                validate_records("agencies", agency_rows, {})
                keys.add("agencies", agency_rows)
                keys.check()
                seconds["validate"] += time.perf_counter() - started
                writer.add("agencies", agency_rows)
            finally:
                writer.close()
            on_stage("publish")
            started = time.perf_counter()
            check_written(staged, writer.counts)
            descriptor = descriptor_for(staged, sources, {"skippedSources": skipped} if skipped else {})
            descriptor, release = finish_descriptor(staged, descriptor, target)
            finish(staged, target, descriptor, before_swap)
            seconds["publish"] += time.perf_counter() - started
    seconds["wall"] = time.perf_counter() - wall
    return BuildSummary(
        target=target,
        version=descriptor["version"],
        rows=dict(writer.counts),
        warnings=warnings,
        skipped=skipped,
        seconds=seconds,
        input_bytes=sum(s["bytes"] for s in sources),
        bump=release.get("bump", "none"),
        changed=release.get("changed", True),
    )
