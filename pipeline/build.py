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
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any

from pipeline.checks import cut_off_warning, implausible_amounts, numbering_warnings
from pipeline.classify import FileRecords, classify_file, id_prefix
from pipeline.clean import clean_lines
from pipeline.errors import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_NO_INPUT,
    InputError,
    LockedError,
    PipelineError,
    ProcessingFailure,
    ValidationFailure,
)
from pipeline.extract.agencies import agency_by_id
from pipeline.readers import format_of, read_source, unsupported_reason
from pipeline.schema import columns, field_type, record_schema, record_values, resource_names
from pipeline.segment import segment_file
from pipeline.signals import raise_if_stopping, worker_setup
from pipeline.validate import KeyIndex, validate_file_records, validate_records

MAX_SEED_BYTES = 256 * 1024 * 1024
GONE = "gone: deleted or moved while the build ran"
PER_FILE_STAGES = ("read", "clean", "segment", "classify")
FILES_AHEAD = 8  # per worker: submitted to the pool before their turn to be written
RELEASE_EVERY = 256  # files written between two returns of freed memory to the system


@dataclass
class FileResult:
    name: str
    sha256: str = ""
    text_sha256: str = ""  # of the decoded text: the same text in two encodings is one text
    size: int = 0
    records: FileRecords | None = None  # its agencies and warnings; the rows are in `values`
    values: dict[str, list[tuple]] = field(default_factory=dict)  # rows of values, by table
    error: InputError | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    def rows(self) -> dict[str, list[dict]]:
        """The rows as records (column → value), as classify made them."""
        return {name: [dict(zip(columns(name), row)) for row in rows] for name, rows in self.values.items()}


@dataclass
class BuildSummary:
    target: Path  # where the package is: --out with links followed
    version: str
    rows: dict[str, int]
    warnings: list[str]
    skipped: list[dict]
    seconds: dict[str, float]
    input_bytes: int
    bump: str
    changed: bool
    carried: list[str] = field(default_factory=list)  # files whose previous rows were kept
    diff: Any = None  # the PackageDiff against the last published package (None for a first one)
    written: bool = True  # False for a dry run


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
        if not os.path.lexists(path):
            raise InputError(name, None, "gone", GONE)
        if not resolved.is_file():
            raise InputError(name, None, "unreadable", "not a regular file (a folder, a device or a broken link)")
        with resolved.open("rb") as fh:
            data = fh.read(MAX_SEED_BYTES + 1)
    except FileNotFoundError:  # deleted between the check and the read
        raise InputError(name, None, "gone", GONE) from None
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
        result.values = as_values(records.rows)
        result.records = replace(records, rows={})
        result.seconds["validate"] = time.perf_counter() - started
    except (InputError, ValidationFailure) as error:
        result.error = error
    except Exception as error:  # a defect of ours on this text: name the file, keep the package
        if os.environ.get("PIPELINE_DEBUG"):
            raise
        result.error = ProcessingFailure(name, None, "internal", failure_message(stage, error))
    return result


def kept(text: str) -> str:
    """A copy of a string that outlives the result it arrived in. The result's rows were
    unpickled around it and are freed once written; the original would keep a mostly empty
    block of Python's allocator alive per file (at 1000× the writing process grew by tens of
    MB so), the copy is made where long-lived objects already are."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")


def as_values(rows: dict[str, list[dict]]) -> dict[str, list[tuple]]:
    """Records as rows of values in column order (`schema.record_values`)."""
    return {name: list(map(record_values(name), records)) for name, records in rows.items()}


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

    # The first file is done here, before the workers are forked: they inherit what it loaded
    # and compiled (lexicons, automatons, patterns) instead of each making it again.
    first = process_file(str(paths[0]), str(seeds_dir)) if paths else None
    with ProcessPoolExecutor(max_workers=workers, initializer=worker_setup, initargs=(os.getpid(),)) as pool:
        queued = (pool.submit(process_file, str(path), str(seeds_dir)) for path in paths[1:])
        # A bounded window of files in flight: results wait for this process in memory, so a
        # pool faster than the writing holds FILES_AHEAD of them per worker, not the corpus.
        futures = deque(islice(queued, FILES_AHEAD * workers))

        def in_order() -> Iterator[FileResult]:
            if first is not None:
                yield first
            while futures:
                result = result_of(futures.popleft())  # let go once it is written
                futures.extend(islice(queued, 1))
                yield result

        try:
            yield in_order()
        except BaseException:
            stop_workers(pool)  # a failed or interrupted build does not wait for their files
            raise
        finally:
            pool.shutdown(cancel_futures=True)


def result_of(future):
    """The future's result, waited for in short steps: a signal delivered to another thread
    of this process is acted on (by the main thread) within one step, not once the file is done."""
    while True:
        try:
            return future.result(timeout=0.2)
        except TimeoutError:
            raise_if_stopping()


def stop_workers(pool) -> None:
    """Terminate the pool's worker processes now (ProcessPoolExecutor has no public way to
    before Python 3.14) and wait for them, so that none outlives the build."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


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
        # As with a pool, a bounded window of files in flight: a file is submitted when one is
        # handed on, so results that arrive faster than they are written do not pile up here.
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values())
        queued = enumerate(paths)
        position: dict[str, int] = {}

        def submit(batch) -> list:
            futures = []
            for index, path in batch:
                future = client.submit(process_file, str(path.absolute()), seeds_dir=str(seeds_dir.absolute()),
                                       pure=False)
                position[future.key] = index
                futures.append(future)
            return futures

        completed = as_completed(submit(islice(queued, FILES_AHEAD * max(workers, threads, 1))), with_results=True)
        ready: dict[int, FileResult] = {}
        next_index = 0
        for future, result in completed:
            ready[position.pop(future.key)] = result
            while next_index in ready:
                yield ready.pop(next_index)
                next_index += 1
                for more in submit(islice(queued, 1)):
                    completed.add(more)
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
            known = self.agencies.get(agency_id)
            if known is None:
                known = self.agencies[kept(agency_id)] = {
                    key: kept(value) if isinstance(value, str) else value for key, value in agency.items()
                } | {"met": set()}
            known["met"] |= {kept(name) for name in agency["met"] - known["met"]}

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
    """One error for a strict build, naming every file that could not be read, each once:
    exit status 7 if a stage failed on one of them (a bug of ours), else 3."""
    if len(failed) == 1:
        return failed[0].error
    error = PipelineError(f"{len(failed)} seed files could not be read:\n"
                          + "\n".join(f"  {result.error}" for result in failed))
    internal = any(isinstance(result.error, ProcessingFailure) for result in failed)
    error.exit_status = EXIT_INTERNAL if internal else EXIT_INPUT
    return error


class CarriedRows:
    """The previous release's rows of a file this build could not read: its documents and
    every row that hangs from them, typed as the stages make them, and the agencies they name.

    `--keep-going` puts them in the new package in the file's place, so that a transient fault
    is not published as a withdrawal. They are read from the release's Parquet files, and only
    the row groups whose statistics admit the file's documents, measures or agencies: memory
    does not grow with the previous release."""

    def __init__(self, previous) -> None:
        self.previous = previous
        self._paths: dict[str, Path] | None = None

    def paths(self) -> dict[str, Path]:
        """Each table's Parquet file in the previous release, checked to have today's columns."""
        if self._paths is None:
            import pyarrow as pa
            import pyarrow.parquet as pq

            from pipeline.diff import other_resources

            resources = other_resources(self.previous.descriptor)
            paths = {}
            for name in resource_names():
                resource = resources.get(f"{name}-parquet")
                path = self.previous.folder / resource["path"] if resource else None
                try:
                    found = path is not None and pq.read_schema(path).names == columns(name)
                except (OSError, pa.ArrowException):
                    found = False
                if not found:
                    raise PipelineError(
                        f"{name}: the table has other columns than in version {self.previous.version}, or "
                        "its Parquet file cannot be read: rows of a file that cannot be read cannot be "
                        "carried forward; fix the file or build without it")
                paths[name] = path
            self._paths = paths
        return self._paths

    def rows(self, name: str, column: str, wanted: set[str]) -> list[dict]:
        """The table's rows whose `column` is one of `wanted`, in file order, typed."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from pipeline.readback import row_groups

        if not wanted:
            return []
        values = sorted(wanted)
        value_set = pa.array(values, pa.string())
        try:
            return [stage_record(name, row)
                    for batch in row_groups(self.paths()[name], columns(name), (column, values))
                    for row in batch.filter(pc.is_in(batch.column(column), value_set=value_set)).to_pylist()]
        except (OSError, pa.ArrowException) as error:
            raise PipelineError(f"{name}: version {self.previous.version} cannot be read: {error}") from None

    def of(self, file_name: str) -> FileRecords | None:
        """The file's rows in the previous release; None if it had none."""
        if self.previous.descriptor is None:
            return None
        documents = {d["document_id"] for d in self.rows("documents", "source_file", {file_name})}
        if not documents:
            return None
        records = FileRecords(rows={})
        measures: set[str] = set()
        for name in resource_names():
            if name == "agencies":
                continue
            if "document_id" in columns(name):
                rows = self.rows(name, "document_id", documents)
            else:
                rows = self.rows(name, "measure_id", measures)
            if name == "measures":
                measures = {r["measure_id"] for r in rows}
            records.rows[name] = rows
        named = {row["agency_id"] for row in records.rows.get("measure_agencies", [])}
        agencies = {a["agency_id"]: a for a in self.rows("agencies", "agency_id", named)}
        for row in records.rows.get("measure_agencies", []):
            agency = agencies[row["agency_id"]]
            met = records.agencies.setdefault(agency["agency_id"], {
                "agency_id": agency["agency_id"], "name": agency["name"], "level": agency["level"],
                "jurisdiction": agency["jurisdiction"], "successor_id": agency["successor_id"],
                "known": agency["in_registry"], "met": set()})
            met["met"].add(row["mention"])
        return records

    def source(self, file_name: str) -> dict | None:
        return next((s for s in self.previous.descriptor.get("sources", []) if s.get("title") == file_name), None)


def stage_record(name: str, row: dict) -> dict:
    """A row read from the package's Parquet back as the record the stages made: dates as ISO
    text (numbers come back as floats where the stages may have made integers: written back,
    either gives the same cells)."""
    props = record_schema(name)["properties"]
    for column, value in row.items():
        if value is not None and field_type(props[column]) == "date":
            row[column] = value.isoformat()
    return row


def written_keys(folder: Path, name: str, fields: tuple[str, ...]) -> Iterator:
    """The key of every row of a table as written in `folder` (CSV cells are strings, as ids are)."""
    from pipeline import csvfiles

    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        for row in csvfiles.dict_reader(fh):
            yield row[fields[0]] if len(fields) == 1 else tuple(row[f] for f in fields)


def build(
    seeds_dir: Path,
    target: Path,
    *,
    workers: int = 1,
    executor: str = "process",
    scheduler: str | None = None,
    keep_going: bool = False,
    force_initial: bool = False,
    dry_run: bool = False,
    on_done: Callable[[FileResult], None] = lambda result: None,
    on_stage: Callable[[str], None] = lambda stage: None,
    before_swap: Callable[[Path], None] | None = None,
) -> BuildSummary:
    """Run every seed through the per-file stages and publish what they give, streaming:
    each file's records are written as they arrive (in file order) and then let go.

    `target` is refused before anything is written unless it may be replaced (`check_out`);
    the release in it is the previous one, which must be readable (`previous_release`)
    unless `force_initial` starts a new history. The version continues from the last published
    package (`baseline_release`). `dry_run` does everything but write: the package is made in
    a scratch folder and compared, and nothing beside `target` is created (not even the lock)."""
    from pipeline.publish import check_out, scratch_folder
    from pipeline.release import baseline_release, previous_release

    out = target
    # Checked before the lock file or a staging folder is made beside it, and again once locked.
    target = check_out(out, seeds_dir)
    previous_release(target, force_initial)
    folder = discover_seeds(seeds_dir)
    paths = folder.files
    wall = time.perf_counter()
    agencies = AgencyTable()
    keys = KeyIndex()
    with nullcontext() if dry_run else build_lock(target):
        target = check_out(out, seeds_dir)  # again, now that no other build can change it
        previous = previous_release(target, force_initial)
        inputs = Inputs(seeds_dir, keep_going, CarriedRows(previous), skipped=list(folder.skipped))
        seconds = inputs.seconds
        with per_file_results(paths, seeds_dir, workers=workers, executor=executor,
                              scheduler=scheduler) as results:
            # Imported once the workers run: they do not need Arrow, and forking before Arrow
            # has started its threads is the safe order.
            from pipeline.publish import (
                PackageWriter,
                check_written,
                descriptor_for,
                finish,
                release_memory,
                staging,
            )
            from pipeline.release import finish_descriptor

            with scratch_folder() if dry_run else staging(target) as staged:
                writer = PackageWriter(staged)
                try:
                    for result in results:
                        raise_if_stopping()
                        on_done(result)
                        taken = inputs.take(result)
                        if taken is None or (inputs.failed and not keep_going):
                            continue  # a failing build only collects the other failures
                        records, values = taken
                        started = time.perf_counter()
                        keys.add_file(id_prefix(result.name), values)
                        for name, rows in values.items():
                            writer.add(name, rows)
                        agencies.add(records.agencies)
                        inputs.warn(records.warnings)
                        if len(inputs.sources) % RELEASE_EVERY == 0:
                            release_memory()
                        seconds["publish"] += time.perf_counter() - started
                    if inputs.failed and not keep_going:
                        raise failed_build(inputs.failed)
                    if not inputs.sources:
                        raise PipelineError("no seed file could be read: nothing to publish")
                    on_stage("validate keys")
                    started = time.perf_counter()
                    agency_rows = agencies.rows()
                    validate_records("agencies", agency_rows, {})
                    agency_values = list(map(record_values("agencies"), agency_rows))
                    keys.add_shared("agencies", agency_values)
                    keys.check()
                    seconds["validate"] += time.perf_counter() - started
                    writer.add("agencies", agency_values)
                finally:
                    writer.close()
                keys.check_elsewhere(lambda name, fields: written_keys(staged, name, fields))
                on_stage("publish")
                started = time.perf_counter()
                release_memory()
                check_written(staged, writer.counts)
                release_memory()
                skipped = {"skippedSources": inputs.skipped} if inputs.skipped else {}
                descriptor = descriptor_for(staged, inputs.sources, skipped)
                with baseline_release(target, previous) as baseline:
                    descriptor, release = finish_descriptor(staged, descriptor, baseline)
                if not dry_run:
                    finish(staged, target, descriptor, before_swap)
                seconds["publish"] += time.perf_counter() - started
    seconds["wall"] = time.perf_counter() - wall
    return BuildSummary(
        target=target,
        version=descriptor["version"],
        rows=dict(writer.counts),
        warnings=inputs.warnings,
        skipped=inputs.skipped,
        seconds=seconds,
        input_bytes=sum(s["bytes"] for s in inputs.sources),
        bump=release.get("bump", "none"),
        changed=release.get("changed", True),
        carried=inputs.carried,
        diff=release.get("diff"),
        written=not dry_run,
    )


@dataclass
class Inputs:
    """What the build makes of each file's result, in file order: the records to publish, the
    sources they come from, and the files skipped, failed or carried forward."""

    seeds_dir: Path
    keep_going: bool
    previous_rows: CarriedRows
    sources: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    failed: list[FileResult] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    warned: set[str] = field(default_factory=set)  # the warnings, for a look-up that does not grow with them
    seen: dict[str, str] = field(default_factory=dict)  # text sha256 → the file that had it first
    seconds: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys((*PER_FILE_STAGES, "validate", "publish"), 0.0))

    def warn(self, warnings: list[str]) -> None:
        """Add warnings not given before, in order."""
        for warning in warnings:
            if warning not in self.warned:
                warning = kept(warning)
                self.warned.add(warning)
                self.warnings.append(warning)

    def take(self, result: FileResult) -> tuple[FileRecords, dict[str, list[tuple]]] | None:
        """The records to publish for this file (its agencies and warnings, and its rows of
        values): its own, the previous release's (a file that could not be read this time,
        with --keep-going), or none."""
        if result.error is not None:
            return self.carry_forward(result)
        if result.text_sha256 in self.seen:  # the same text twice would count everything twice
            self.skipped.append({"path": result.name, "reason": f"same text as {self.seen[result.text_sha256]}"})
            return None
        name = kept(result.name)
        self.seen[kept(result.text_sha256)] = name
        self.sources.append({"title": name, "path": f"seeds/{name}", "sha256": kept(result.sha256),
                             "bytes": result.size})
        for stage, spent in result.seconds.items():
            self.seconds[stage] += spent
        return result.records, result.values

    def carry_forward(self, result: FileResult) -> tuple[FileRecords, dict[str, list[tuple]]] | None:
        """The previous release's rows of a file that failed, if the build keeps going, the
        file is still there (one gone from the folder is withdrawn) and it had rows."""
        skipped = {"path": result.name, "reason": result.error.reason}
        self.skipped.append(skipped)
        records = None
        if self.keep_going and result.error.code != "gone" and os.path.lexists(self.seeds_dir / result.name):
            try:
                records = self.previous_rows.of(result.name)
            except PipelineError as error:
                raise InputError(result.name, None, result.error.code, f"{result.error.message}; its "
                                 f"previous rows cannot be carried forward: {error}") from None
        if records is None:
            self.failed.append(result)
            return None
        validate_file_records(records.rows, result.name)
        version = self.previous_rows.previous.version
        skipped["carriedForward"] = version
        self.carried.append(result.name)
        self.warn([f"{result.name}: could not be read this time; its rows of version {version} "
                   "are carried forward"])
        if source := self.previous_rows.source(result.name):
            self.sources.append(source)
        return records, as_values(records.rows)
