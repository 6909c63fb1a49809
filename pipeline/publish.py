"""Stage 5, publish: CSV, Parquet and `datapackage.json`, written aside and swapped in whole.

The package is written to a temporary folder next to the target, checked, and only then put in
place, by an atomic exchange of the two folders where the kernel offers one. A build killed at
any moment leaves the previous package complete.

Readers never see a mixed package: the descriptor names each data file by its content
(`data/<name>.<sha256 prefix>.csv`, a hard link to the `<name>.csv` users open by name), and the
files of the release being replaced stay in `data/` until the next build, so a reader that read
the previous `datapackage.json` just before the exchange still finds every file it names.

`--out` is replaced only when it is absent, empty, or a package this pipeline wrote
(`check_out`); never the seed folder, a folder around it or inside it, or a folder holding
anything else.
"""
from __future__ import annotations

import csv
import ctypes
import filecmp
import functools
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from pipeline import __version__, signals
from pipeline.errors import OutputRefused, ValidationFailure
from pipeline.schema import (
    arrow_schema,
    categories,
    columns,
    field_type,
    package_metadata,
    record_schema,
    resource_names,
    table_schema,
)

# Rows in a Parquet row group: the build holds a table's next group in memory (about three
# times over while writing it), so groups are a few MB, at any size of package: 16,384 rows of
# 0.1–0.2 KB. Measures carry whole paragraphs (about 0.75 KB a row): a quarter as many.
ROW_GROUP_ROWS = 16_384
LONG_ROWS = {"measures": 4}
CONVERT_ROWS = 8_192  # records held before they are converted to Arrow (measures: a quarter)
READ_BACK_BLOCKS = (1 << 18, 1 << 24)  # bytes of CSV parsed at a time when counting rows back
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
RENAME_EXCHANGE = 2
GENERATOR = "policy-pipeline"  # recorded in every descriptor, with the pipeline's version
DATA_DIR = "data"
HASH_CHARS = 16  # of the sha256 in a content-addressed file name
CONTENT_ADDRESSED = re.compile(rf"^[A-Za-z0-9_-]+\.[0-9a-f]{{{HASH_CHARS}}}\.(csv|parquet)$")
DOC_FILES = ("datapackage.json", "README.md", "CHANGELOG.md", "index.html")
RETAINED_LIST = ".gitignore"  # in data/: the previous release's files, for git to leave out
RETAINED_HEADER = (
    "# Files of the previous release, kept for a reader that opened its datapackage.json just\n"
    "# before this release replaced it; not part of this release. The next build removes them.\n"
    "# This list leaves itself out too: a build that returns to the committed package leaves\n"
    "# `git status` clean.\n"
    f"{RETAINED_LIST}\n"
)


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def csv_text(rows: Iterable[Sequence], spelled: tuple[int, ...] = ()) -> str:
    """CSV lines of rows of values, as `csv.writer(lineterminator="\\n")` writes them, with the
    cells at the `spelled` positions spelled by `csv_cell` (booleans `true`, numbers `1000000`).

    A row none of whose cells holds a comma, a quote or a line break needs no quoting: its
    line is its cells joined, which is much cheaper than the csv module's character-by-character
    copy; the other rows go through the csv module."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    lines = []
    for row in rows:
        cells = [v if v.__class__ is str else "" if v is None else str(v) for v in row]
        for i in spelled:
            cells[i] = csv_cell(row[i])
        line = ",".join(cells)
        # (a lone empty cell is quoted too, so that its line is not blank)
        if '"' in line or "\n" in line or "\r" in line or line.count(",") != len(cells) - 1 or not line:
            writer.writerow(cells)
            line = buffer.getvalue()[:-1]
            buffer.seek(0)
            buffer.truncate()
        lines.append(line)
    lines.append("")
    return "\n".join(lines)


def arrow_table(name: str, rows: Sequence[Sequence]) -> pa.Table:
    """Rows (each record's values in the resource's column order, as `schema.record_values` gives
    them) as an Arrow table of the resource's schema. Arrow reads each column from a list made
    in C (`zip`), not a dict look-up per cell; categories become indices into the full
    category list, so every file has the same dictionary."""
    schema = arrow_schema(name)
    props = record_schema(name)["properties"]
    values = list(zip(*rows)) if rows else [()] * len(schema)
    arrays = []
    for f, cells in zip(schema, values):
        column = pa.array(cells, pa.string() if is_encoded(f.type) else f.type)
        if pa.types.is_dictionary(f.type):
            cats = pa.array(categories(props[f.name]), pa.string())
            indices = pc.index_in(column, value_set=cats).cast(pa.int32())
            if indices.null_count != column.null_count:
                raise ValidationFailure(f"{name}.{f.name}: a value outside its categories {cats.to_pylist()}")
            column = pa.DictionaryArray.from_arrays(indices, cats)
        elif pa.types.is_date(f.type):
            column = column.cast(f.type)  # ISO dates, already validated
        arrays.append(column)
    return pa.Table.from_arrays(arrays, schema=schema)


def is_encoded(kind: pa.DataType) -> bool:
    """Stored as a dictionary or a date, but held in records as a string."""
    return pa.types.is_dictionary(kind) or pa.types.is_date(kind)


def group_rows(name: str) -> int:
    """Rows in each Parquet row group of the resource (the last one fewer)."""
    return ROW_GROUP_ROWS // LONG_ROWS.get(name, 1)


@functools.cache
def spelled_columns(name: str) -> tuple[int, ...]:
    """Positions of the columns whose values csv_cell must spell (booleans and numbers)."""
    props = record_schema(name)["properties"]
    return tuple(i for i, c in enumerate(columns(name)) if field_type(props[c]) in ("boolean", "number"))


class PackageWriter:
    """Writes every resource's CSV rows and Parquet row groups as batches of records arrive.

    Row groups hold exactly `group_rows(name)` rows (the last one fewer), whatever the batches,
    so the files do not depend on how the input was split between files or workers.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counts = dict.fromkeys(resource_names(), 0)
        self.pending: dict[str, list[tuple]] = {name: [] for name in resource_names()}
        self.converted: dict[str, list[pa.Table]] = {name: [] for name in resource_names()}
        self.csv_files = {name: (folder / f"{name}.csv").open("w", encoding="utf-8", newline="")
                          for name in resource_names()}
        self.parquet = {
            name: pq.ParquetWriter(folder / f"{name}.parquet", arrow_schema(name), compression="zstd",
                                   use_dictionary=True)
            for name in resource_names()
        }
        for name, fh in self.csv_files.items():
            fh.write(csv_text([columns(name)]))

    def add(self, name: str, values: list[tuple]) -> None:
        """Rows of values in column order (`schema.record_values`)."""
        self.csv_files[name].write(csv_text(values, spelled_columns(name)))
        self.counts[name] += len(values)
        pending = self.pending[name]
        pending.extend(values)
        if len(pending) >= CONVERT_ROWS // LONG_ROWS.get(name, 1):
            self.convert(name)
        self.write_full_groups(name)

    def convert(self, name: str) -> None:
        """Pending records to Arrow now, while workers still run, not all at the end."""
        if self.pending[name]:
            self.converted[name].append(arrow_table(name, self.pending[name]))
            self.pending[name] = []

    def write_full_groups(self, name: str, *, last: bool = False) -> None:
        """Write the converted rows in groups of exactly `group_rows`; with `last`, the rest
        too (an empty group for an empty table, so that the file has its schema)."""
        converted = self.converted[name]
        size = group_rows(name)
        if not last and sum(t.num_rows for t in converted) < size:
            return
        table = pa.concat_tables(converted) if converted else arrow_table(name, [])
        while table.num_rows >= size:
            self.write_group(name, table.slice(0, size))
            table = table.slice(size)
        if last and (table.num_rows or not self.counts[name]):
            self.write_group(name, table)
            table = table.slice(table.num_rows)
        self.converted[name] = [table] if table.num_rows else []

    def write_group(self, name: str, table: pa.Table) -> None:
        self.parquet[name].write_table(table.combine_chunks())

    def close(self) -> None:
        for name in resource_names():
            self.convert(name)
            self.write_full_groups(name, last=True)
            self.parquet[name].close()
            self.csv_files[name].close()


def file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return path.stat().st_size, digest.hexdigest()


def content_address(folder: Path, name: str, fmt: str) -> tuple[str, int, str]:
    """`data/<name>.<hash>.<fmt>`, a hard link to `<name>.<fmt>` (a copy where links are not
    possible); with the file's size and sha256."""
    size, sha = file_digest(folder / f"{name}.{fmt}")
    path = f"{DATA_DIR}/{name}.{sha[:HASH_CHARS]}.{fmt}"
    (folder / DATA_DIR).mkdir(exist_ok=True)
    try:
        os.link(folder / f"{name}.{fmt}", folder / path)
    except FileExistsError:
        pass
    except OSError:
        shutil.copyfile(folder / f"{name}.{fmt}", folder / path)
    return path, size, sha


def resource_descriptor(folder: Path, name: str, fmt: str) -> dict[str, Any]:
    meta = record_schema(name)
    schema = table_schema(name)
    path, size, sha = content_address(folder, name, fmt)
    descriptor: dict[str, Any] = {
        "name": name if fmt == "csv" else f"{name}-parquet",
        "title": meta["title"] + ("" if fmt == "csv" else " (Parquet)"),
        "description": meta["description"],
        "path": path,
        "type": "table",
        "format": fmt,
        "mediatype": "text/csv" if fmt == "csv" else PARQUET_MEDIATYPE,
    }
    if fmt == "csv":
        descriptor["encoding"] = "utf-8"
        descriptor["dialect"] = {"delimiter": ",", "lineTerminator": "\n", "header": True}
    else:
        schema = dict(schema)
        schema["foreignKeys"] = [
            {**fk, "reference": {**fk["reference"], "resource": fk["reference"]["resource"] + "-parquet"}}
            for fk in schema["foreignKeys"]
        ]
    if fmt == "csv":
        descriptor["bytes"] = size
    # frictionless reads Parquet through pyarrow and cannot count its bytes, so a declared byte
    # count would fail its validation; the sha256 is declared for every file.
    descriptor.update({"hash": f"sha256:{sha}", "schema": schema})
    return descriptor


def content_digest(resources: list[dict]) -> str:
    """One digest of every data file: the package's content, whatever its metadata says."""
    return hashlib.sha256("".join(r["hash"] for r in resources).encode()).hexdigest()


def descriptor_for(folder: Path, sources: list[dict], extra: Mapping[str, Any]) -> dict[str, Any]:
    meta = package_metadata()
    resources = [
        resource_descriptor(folder, name, fmt) for name in resource_names() for fmt in ("csv", "parquet")
    ]
    descriptor: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": meta["name"],
        "title": meta["title"],
        "description": meta["description"],
        **({"homepage": meta["homepage"]} if meta.get("homepage") else {}),
        "keywords": meta["keywords"],
        "licenses": meta["licenses"],
        "sources": sources,
    }
    descriptor.update(extra)
    descriptor["pipeline"] = {"name": GENERATOR, "version": __version__}
    descriptor["contentHash"] = content_digest(resources)
    descriptor["resources"] = resources
    return descriptor


def write_descriptor(folder: Path, descriptor: Mapping[str, Any]) -> None:
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    (folder / "datapackage.json").write_text(text, encoding="utf-8")


def csv_row_count(path: Path, header: list[str]) -> int:
    """Rows of a CSV file, parsed whole by Arrow: a row with too few or too many cells, or a
    header other than `header`, is an error."""
    with path.open(encoding="utf-8", newline="") as fh:
        found = next(csv.reader(fh), [])
    if found != header:
        raise ValidationFailure(f"{path.name}: header {found}, expected {header}")
    def rows(block_size: int) -> int:
        # block by block in this thread, keeping nothing: memory does not grow with the file
        # (threads parse blocks ahead, and at 1000× the seeds held tens of MB more so)
        batches = pa_csv.open_csv(
            path, read_options=pa_csv.ReadOptions(block_size=block_size, use_threads=False),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()),
                                                  include_columns=header[:1]),
        )
        return sum(batch.num_rows for batch in batches)

    # A row longer than a block (a cell with line breaks) fails: then larger blocks, at last one.
    for block_size in READ_BACK_BLOCKS:
        try:
            return rows(block_size)
        except pa.ArrowInvalid:
            pass
    try:
        return rows(path.stat().st_size + 1)
    except pa.ArrowInvalid as error:
        raise ValidationFailure(f"{path.name}: {error}") from None


def release_memory() -> None:
    """Give what the phase just ended freed back to the system: Arrow's pool and the C
    library's heap keep freed memory for reuse, and each phase of publishing (the last row
    groups, reading back, the page) would otherwise add its peak to the build's."""
    pa.default_memory_pool().release_unused()
    if hasattr(c_library(), "malloc_trim"):  # glibc
        c_library().malloc_trim(0)


@functools.cache
def c_library() -> ctypes.CDLL:
    """The C library, already loaded into Python (errno kept for the calls that set it)."""
    return ctypes.CDLL(None, use_errno=True)


def check_written(folder: Path, counts: Mapping[str, int]) -> None:
    """Read back what was written: every file there, row counts as intended."""
    for name in resource_names():
        expected = counts[name]
        csv_rows = csv_row_count(folder / f"{name}.csv", columns(name))
        parquet_rows = pq.ParquetFile(folder / f"{name}.parquet").metadata.num_rows
        if csv_rows != expected or parquet_rows != expected:
            raise ValidationFailure(
                f"{name}: wrote {csv_rows} CSV and {parquet_rows} Parquet rows, expected {expected}"
            )


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    libc = c_library()
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd = -100
    result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def swap_into_place(staged: Path, target: Path) -> None:
    """Put `staged` at `target`; the old package is removed only once the new one is there.
    A signal arriving meanwhile is acted on once the package is in place (`uninterrupted`)."""
    with signals.uninterrupted():
        if target.is_dir() and not any(target.iterdir()):
            fill(staged, target)
            return
        swapped = target.exists() and exchange(staged, target)
        if not swapped:
            swap_by_renames(staged, target)
    if swapped:
        shutil.rmtree(staged)  # now holds the previous package


def fill(staged: Path, empty: Path) -> None:
    """Move the staged package into an empty folder, the descriptor last: the folder itself,
    which someone made (its permissions, a shell whose current folder it is), stays."""
    for entry in sorted(staged.iterdir(), key=lambda p: p.name == "datapackage.json"):
        entry.rename(empty / entry.name)


def swap_by_renames(staged: Path, target: Path) -> None:
    """No atomic exchange here: two renames. A failure between them puts the old package
    back; a kill between them is undone by the next build's `recover`."""
    previous = target.with_name(f".{target.name}.previous")
    if previous.exists():
        shutil.rmtree(previous)
    try:
        if target.exists():
            target.rename(previous)
        staged.rename(target)
    except BaseException:
        if previous.exists() and not target.exists():
            previous.rename(target)
        raise
    if previous.exists():
        shutil.rmtree(previous)


def recover(target: Path) -> None:
    """Undo what a killed build left: a half-written staging folder, a moved-away package."""
    previous = target.with_name(f".{target.name}.previous")
    if previous.exists() and not target.exists():
        previous.rename(target)
    for stale in target.parent.glob(f".{target.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    if previous.exists():
        shutil.rmtree(previous, ignore_errors=True)


@contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A fresh folder beside `target` to write the package in; removed when the block ends
    (by then it holds the replaced package, or the new one if nothing was swapped)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staged = target.with_name(f".{target.name}.staging-{os.getpid()}")
    if staged.exists():
        shutil.rmtree(staged)
    staged.mkdir()
    try:
        yield staged
    finally:
        shutil.rmtree(staged, ignore_errors=True)


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """A temporary folder away from the target, for a dry run (nothing is made beside it)."""
    with tempfile.TemporaryDirectory(prefix="pipeline-dry-run-") as folder:
        yield Path(folder)


def read_descriptor(folder: Path) -> dict[str, Any] | None:
    """The folder's datapackage.json as a JSON object; None if absent or unreadable."""
    try:
        descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return descriptor if isinstance(descriptor, dict) else None


def written_by_us(descriptor: Mapping[str, Any]) -> bool:
    """A descriptor this pipeline wrote: it says so (`pipeline`), or it predates that marker
    and has the package's name and the `contentHash` only this pipeline records."""
    marker = descriptor.get("pipeline")
    if marker is not None:
        return isinstance(marker, dict) and marker.get("name") == GENERATOR
    return descriptor.get("name") == package_metadata()["name"] and "contentHash" in descriptor


def resource_paths(descriptor: Mapping[str, Any]) -> list[str]:
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return []
    return [r["path"] for r in resources if isinstance(r, dict) and isinstance(r.get("path"), str)]


def foreign_entries(folder: Path, descriptor: Mapping[str, Any] | None) -> list[str]:
    """What in `folder` this pipeline would not have written, as paths relative to it.

    A package of ours holds its documentation, `<name>.csv` and `<name>.parquet` for each of
    its resources (those of the schemas, and those its own descriptor lists) and `data/` with
    content-addressed copies; anything else belongs to someone else."""
    names = set(DOC_FILES) | {f"{n}.{fmt}" for n in resource_names() for fmt in ("csv", "parquet")}
    if descriptor is not None and written_by_us(descriptor):
        names |= {Path(p).name.split(".")[0] + suffix for p in resource_paths(descriptor)
                  for suffix in (".csv", ".parquet")}
    foreign = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name == DATA_DIR and entry.is_dir(follow_symlinks=False):
            foreign += [f"{DATA_DIR}/{e.name}" for e in sorted(os.scandir(entry.path), key=lambda e: e.name)
                        if e.is_dir(follow_symlinks=False)
                        or not (CONTENT_ADDRESSED.match(e.name) or e.name == RETAINED_LIST)]
        elif entry.name not in names or entry.is_dir(follow_symlinks=False):
            foreign.append(entry.name + ("/" if entry.is_dir(follow_symlinks=False) else ""))
    return foreign


def root_copies_differing(folder: Path, descriptor: Mapping[str, Any]) -> list[str]:
    """The root files (`amounts.csv`) that are not byte for byte the file the descriptor names
    for them (`data/amounts.<hash>.csv`): edited by hand, or damaged."""
    differing = []
    for path in resource_paths(descriptor):
        described = folder / path
        root = folder / (described.name.split(".")[0] + described.suffix)
        if root != described and root.is_file() and described.is_file() and not filecmp.cmp(root, described, shallow=False):
            differing.append(root.name)
    return differing


def check_out(out: Path, seeds: Path) -> Path:
    """The folder to publish in: `out` with symbolic links followed, if it may be replaced.

    Refused (OutputRefused, nothing touched): the seed folder, a folder inside it or holding
    it, a file, the root of the file system, a folder holding anything this pipeline did not
    write, or another tool's data package."""
    target = Path(os.path.realpath(out))
    shown = str(out) if Path(out).absolute() == target else f"{out} (→ {target})"
    seed_folder = Path(os.path.realpath(seeds))

    def refuse(why: str) -> OutputRefused:
        return OutputRefused(f"--out {shown}: {why}; nothing was changed")

    if target == seed_folder:
        raise refuse("is the seed folder: the package needs a folder of its own, e.g. --out datapackage")
    if seed_folder in target.parents:
        raise refuse(f"is inside the seed folder {seeds}: choose a folder outside it")
    if target in seed_folder.parents:
        raise refuse(f"holds the seed folder {seeds}: replacing it would delete the seed texts; "
                     "choose a folder of its own, e.g. --out datapackage")
    if target.parent == target:
        raise refuse("is the root of the file system")
    if os.path.lexists(target) and not target.is_dir():
        raise refuse("is a file, not a folder")
    if not target.is_dir():
        return target
    descriptor = read_descriptor(target)
    if descriptor is not None and "resources" in descriptor and not written_by_us(descriptor):
        raise refuse("holds a data package this pipeline did not write (its datapackage.json does "
                     "not name it); choose another folder")
    foreign = foreign_entries(target, descriptor)
    if foreign:
        listed = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise refuse(f"holds files this pipeline did not write ({listed}); it replaces only an empty "
                     "folder or a package it wrote: move them elsewhere or choose another folder")
    return target


def same_package(staged: Path, target: Path) -> bool:
    """True if `target` already holds every file of `staged`, byte for byte, and no other file
    beside them (a previous release's files kept in data/ aside)."""
    if not target.is_dir():
        return False
    staged_files = {p.relative_to(staged) for p in staged.rglob("*") if p.is_file()}
    target_top = {p.name for p in target.iterdir() if p.is_file()}
    if target_top != {str(p) for p in staged_files if len(p.parts) == 1}:
        return False
    return all((target / p).is_file() and filecmp.cmp(staged / p, target / p, shallow=False)
               for p in staged_files)


def keep_previous_generation(staged: Path, target: Path) -> list[str]:
    """Link into `staged` the data files that the descriptor in place names and the new one
    does not, so that a reader holding the old descriptor finds them after the swap."""
    live = read_descriptor(target)
    if live is None:
        return []
    kept = []
    for path in resource_paths(live):
        parts = Path(path).parts
        if len(parts) != 2 or parts[0] != DATA_DIR or not CONTENT_ADDRESSED.match(parts[1]):
            continue
        if (staged / path).exists() or not (target / path).is_file():
            continue
        (staged / DATA_DIR).mkdir(exist_ok=True)
        try:
            os.link(target / path, staged / path)
        except OSError:
            shutil.copyfile(target / path, staged / path)
        kept.append(parts[1])
    if kept:
        (staged / DATA_DIR / RETAINED_LIST).write_text(RETAINED_HEADER + "".join(f"{n}\n" for n in sorted(kept)),
                                                      encoding="utf-8")
    return kept


def finish(staged: Path, target: Path, descriptor: Mapping[str, Any],
           before_swap: Callable[[Path], None] | None = None) -> bool:
    """Write the descriptor and put the staged package in place of the old one. False if the
    package in place already was this one, byte for byte: it is left as it is."""
    write_descriptor(staged, descriptor)
    if before_swap:
        before_swap(staged)
    if same_package(staged, target):
        return False
    keep_previous_generation(staged, target)
    swap_into_place(staged, target)
    return True
