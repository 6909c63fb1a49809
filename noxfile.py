"""Sessions: `nox -s build` rebuilds datapackage/, `nox -s tests` runs the suite, and more."""
from __future__ import annotations

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
PYTHON = "3.11"


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Rebuild datapackage/ from seeds/ and validate it with frictionless."""
    session.install("-e", ".")
    session.run("python", "-m", "pipeline", "build", *session.posargs)
    session.run("python", "-m", "pipeline", "validate", "datapackage")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite (unit, property, end-to-end, browser)."""
    session.install("-e", ".[dev,dask]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "pipeline", "tests", "scripts", "noxfile.py")


@nox.session(python=PYTHON)
def release(session: nox.Session) -> None:
    """dist/<name>-<version>.zip with descriptor, data, dictionary and changelog, and its sha256."""
    session.install("-e", ".")
    session.run("python", "scripts/release.py", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Build 1×, 10× and 100× corpora of the seeds and report time, throughput and memory."""
    session.install("-e", ".[dask]", "jionlp")
    session.run("python", "scripts/bench.py", *session.posargs)


@nox.session(python=PYTHON)
def compare(session: nox.Session) -> None:
    """Our amount extraction against JioNLP's extract_money on the seeds: F1 and MB/s."""
    session.install("-e", ".", "jionlp")
    session.run("python", "scripts/compare_money.py", *session.posargs)
