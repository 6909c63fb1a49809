"""Command line: `python -m pipeline build | validate | diff | explain`."""
from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

# Before pyarrow is loaded, which fixes its allocator then: jemalloc gives freed memory back to
# the system, so a build keeps less of the batches it has written (perturbed 100×: peak 310 →
# 256 MB with mimalloc, Arrow's default). Arrow's wheels for Linux and macOS carry jemalloc.
if sys.platform in ("linux", "darwin"):
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")

import click  # noqa: E402
from tqdm import tqdm  # noqa: E402

from pipeline.errors import (  # noqa: E402
    EXIT_BROKEN_PIPE,
    EXIT_OUTPUT,
    EXIT_VALIDATION,
    Interrupted,
    PipelineError,
    exit_status_of,
)

SUMMARY_WARNINGS = 12


class Commands(click.Group):
    """The commands, with the endings every one of them shares: a reader of its output that
    went away (`| head`) ends it quietly with 141; Ctrl-C outside a build with 130, not
    click's `Aborted!` and 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # Nothing more can be written there; what Python would flush at exit goes nowhere.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        except KeyboardInterrupt:
            click.echo("\nerror: interrupted (SIGINT)", err=True)
            sys.exit(exit_status_of(signal.SIGINT))


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Turn raw Chinese policy texts into a versioned Frictionless Data Package."""


@main.command()
@click.option("--seeds", "seeds_dir", type=click.Path(path_type=Path), default=Path("seeds"),
              show_default=True, help="Folder of source files, subfolders included: .txt, .md, .html, .docx, .pdf.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("datapackage"),
              show_default=True, help="Package folder to (re)write: absent, empty or a package this "
              "pipeline wrote (links are followed); never the seed folder or one holding other files.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes for the per-file stages (clean, segment, classify).")
@click.option("--executor", type=click.Choice(["process", "dask"]), default="process", show_default=True,
              help="Run the per-file stages in local processes or on a Dask cluster.")
@click.option("--scheduler", default=None, help="Dask scheduler address (tcp://host:8786); "
              "without it --executor dask starts a local cluster.")
@click.option("--keep-going", is_flag=True, help="Skip unreadable files (listed in the summary "
              "and the descriptor) instead of failing the build; the previous release's rows of a "
              "file still there are carried forward.")
@click.option("--force-initial", is_flag=True, help="Start a new release history at 1.0.0 when the "
              "package in --out cannot be continued from (unreadable descriptor, no version, written "
              "by a newer pipeline).")
@click.option("--dry-run", is_flag=True, help="Build and compare with the last published package, "
              "print the diff and the version it would get, and write nothing.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--timings", "timings_file", type=click.Path(path_type=Path), default=None,
              help="Also write seconds per stage, wall time, input bytes and rows as JSON here.")
def build(seeds_dir: Path, out_dir: Path, workers: int, executor: str, scheduler: str | None,
          keep_going: bool, force_initial: bool, dry_run: bool, progress: bool | None,
          timings_file: Path | None) -> None:
    """Build the data package from the seed texts.

    SIGINT (Ctrl-C) and SIGTERM stop it cleanly, workers included, with exit status 130 and
    143; the previous package stays as it was. Every exit status is listed in the README."""
    from contextlib import nullcontext

    from pipeline.build import build as run_build
    from pipeline.build import seed_files
    from pipeline.imports import without_pandas
    from pipeline.signals import stop_on_signals

    bar = None
    given = out_dir.absolute()  # now: a build into the current folder may replace it
    try:
        with stop_on_signals(), without_pandas() if executor != "dask" else nullcontext():
            total = len(seed_files(seeds_dir))
            bar = tqdm(total=total, unit="file", disable=progress is False if progress is not None else None,
                       file=sys.stderr, desc="clean→segment→classify")

            def on_done(result) -> None:
                bar.set_postfix_str(result.name + (" (unreadable)" if result.error else ""), refresh=False)
                bar.update()

            def on_stage(stage: str) -> None:
                bar.set_description_str(stage)
                bar.refresh()

            summary = run_build(seeds_dir, out_dir, workers=workers, executor=executor,
                                scheduler=scheduler, keep_going=keep_going, force_initial=force_initial,
                                dry_run=dry_run, on_done=on_done, on_stage=on_stage)
            bar.close()
    except PipelineError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_status)
    except Interrupted as stop:
        if bar is not None:
            bar.close()
        if stop.published:
            told = f"once the new package was in place in {out_dir}"
        else:
            told = f"before publishing: {out_dir} is as it was"
        click.echo(f"error: stopped by {stop} {told}", err=True)
        sys.exit(stop.exit_status)
    except OSError as error:  # the output side: a full disk, a read-only or misplaced --out
        click.echo(f"error: {error.filename or out_dir}: {error.strerror or error}; "
                   "the previous package was left as it was", err=True)
        sys.exit(EXIT_OUTPUT)
    print_summary(summary, out_dir, given)
    if timings_file is not None:
        write_timings(timings_file, summary, workers=workers, executor=executor)


def write_timings(path: Path, summary, **run) -> None:
    """The build's figures, machine-readable (for `scripts/bench.py`)."""
    figures = {
        **run,
        "version": summary.version,
        "input_bytes": summary.input_bytes,
        "seconds": summary.seconds,
        "rows": summary.rows,
        "skipped": len(summary.skipped),
        "warnings": len(summary.warnings),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def print_summary(summary, out_dir: Path, given: Path) -> None:
    status = f"version {summary.version}" + ("" if summary.changed else " (unchanged)")
    through = "" if given == summary.target else f" (--out {out_dir} links there)"
    if not summary.written:
        from pipeline.diff import format_diff

        click.echo("\nDry run: nothing was written. Against the last published package:")
        click.echo(format_diff(summary.diff) if summary.diff is not None else "no published package: a first release")
        click.echo(f"\nA build would publish {status} to {summary.target}/{through}, bump: {summary.bump}")
    else:
        click.echo(f"\nPackage written to {summary.target}/{through} — {status}, bump: {summary.bump}")
    mb = summary.input_bytes / 1e6
    wall = summary.seconds["wall"]
    click.echo(f"{mb:.2f} MB of text in {wall:.2f} s ({mb / wall if wall else 0:.2f} MB/s)")
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in summary.seconds.items() if k != "wall")
    click.echo(f"stages: {stages}")
    click.echo("\n  resource           rows")
    for name, count in summary.rows.items():
        click.echo(f"  {name:<16} {count:>6}")
    if summary.skipped:
        click.echo(f"\nSkipped {len(summary.skipped)} file(s):")
        for item in summary.skipped:
            carried = (f"; its rows of version {item['carriedForward']} were carried forward"
                       if "carriedForward" in item else "")
            click.echo(f"  {item['path']}: {item['reason']}{carried}")
    if summary.warnings:
        click.echo(f"\n{len(summary.warnings)} warning(s):")
        for warning in summary.warnings[:SUMMARY_WARNINGS]:
            click.echo(f"  {warning}")
        if len(summary.warnings) > SUMMARY_WARNINGS:
            click.echo(f"  … and {len(summary.warnings) - SUMMARY_WARNINGS} more")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path), default=Path("datapackage"))
@click.option("--frictionless", "with_frictionless", is_flag=True,
              help="Also run frictionless's own validation (the same checks, several times slower).")
def validate(folder: Path, with_frictionless: bool) -> None:
    """Validate a package against its descriptor: files and hashes, types, constraints, primary
    and foreign keys, CSV and Parquet alike."""
    from pipeline.verify import verify

    descriptor = folder / "datapackage.json"
    if not descriptor.is_file():
        click.echo(f"error: {descriptor}: no such file", err=True)
        sys.exit(EXIT_VALIDATION)
    problems = verify(folder)
    names = [r["name"] for r in json.loads(descriptor.read_text("utf-8")).get("resources", [])]
    for name in names:
        found = [p for p in problems if p.resource == name]
        click.echo(f"{'INVALID' if found else 'valid  '} {name}")
        for problem in found[:5]:
            click.echo(f"    {problem}")
    for problem in (p for p in problems if p.resource not in names):
        click.echo(f"INVALID {problem.resource}: {problem}")
    from pipeline.publish import read_descriptor, root_copies_differing

    differing = root_copies_differing(folder, read_descriptor(folder) or {})
    for name in differing:
        click.echo(f"INVALID {name}: not the file datapackage.json names for it (edited by hand?)")
    valid = not problems and not differing
    if with_frictionless:
        from frictionless import Package

        report = Package(str(descriptor)).validate()
        for task in report.tasks:
            for error in task.errors[:5]:
                click.echo(f"    frictionless {task.name}: {error.type}: {error.message}")
        valid = valid and report.valid
    if not valid:
        sys.exit(EXIT_VALIDATION)
    click.echo(f"{folder}: valid")


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON (for scripts).")
def diff(old: str, new: str, as_json: bool) -> None:
    """Show what changed between two packages: rows added, removed and changed per resource (by
    primary key, naming the changed columns), schema changes, and the version bump they call for.

    OLD and NEW are package folders, or REV:folder read from the git repository of the current
    directory, e.g. `python -m pipeline diff HEAD:datapackage datapackage`.
    """
    from pipeline.diff import diff_specs, format_diff

    try:
        result = diff_specs(old, new)
    except PipelineError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_status)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_diff(result))


@main.command()
@click.argument("row_id", metavar="ID")
@click.option("--package", "package_dir", type=click.Path(path_type=Path), default=Path("datapackage"),
              show_default=True, help="Package folder to look in.")
@click.option("--seeds", "seeds_dir", type=click.Path(path_type=Path), default=Path("seeds"),
              show_default=True, help="Folder of the source files the package was built from.")
@click.option("--color/--no-color", default=None, help="Highlight the mention in colour (default: on a "
              "terminal); without colour it is put in [[…]].")
@click.option("--max-lines", type=click.IntRange(min=1), default=30, show_default=True,
              help="Most source lines to print for a document or measure.")
def explain(row_id: str, package_dir: Path, seeds_dir: Path, color: bool | None, max_lines: int) -> None:
    """Print any row with its raw source lines and the mention highlighted.

    ID is a document_id, measure_id, amount_id, target_id or agency_id, or
    MEASURE_ID/CLAUSE/POSITION for a row of measure_agencies. Exit status 2 if no row has it.
    """
    from pipeline.explain import UnknownId
    from pipeline.explain import explain as run_explain

    if color is None:
        color = sys.stdout.isatty()
    try:
        text = run_explain(row_id, package_dir, seeds_dir, color=color, max_lines=max_lines)
    except UnknownId as error:
        click.echo(f"error: {error.args[0]}", err=True)
        sys.exit(2)
    click.echo(text, nl=False, color=color)
