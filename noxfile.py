"""Sessions: `nox -s build` rebuilds datapackage/, `nox -s tests` runs the suite, and more."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
# A session whose Python cannot be found fails; nox would otherwise skip it and exit 0.
nox.options.error_on_missing_interpreters = True
SUPPORTED = ("3.11", "3.12", "3.13")


def session_python() -> str:
    """The Python running nox when the project supports it, else the newest supported one on
    the PATH; if there is none, nox fails naming the version it looked for."""
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if running in SUPPORTED:
        return running
    found = [version for version in SUPPORTED if shutil.which(f"python{version}")]
    return found[-1] if found else SUPPORTED[-1]


PYTHON = session_python()


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Rebuild datapackage/ from seeds/ and validate it with frictionless."""
    session.install("-e", ".", "-c", "constraints.txt")
    session.run("python", "-m", "pipeline", "build", *session.posargs)
    session.run("python", "-m", "pipeline", "validate", "datapackage")


# Debian packages the browser and README-snippet tests need, each with a file that shows it is
# there: Chromium for index.html, R for the R snippet, CJK fonts so the page shows characters.
SYSTEM_PACKAGES = {
    "chromium": "/usr/bin/chromium",
    "r-base-core": "/usr/bin/Rscript",
    "fonts-noto-cjk": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
}


def install_system_packages(session: nox.Session) -> None:
    """apt-get install what is missing, when running as root with apt, saying first what and
    why; otherwise say so (the tests that need a missing package then fail, naming it)."""
    missing = [name for name, probe in SYSTEM_PACKAGES.items() if not Path(probe).exists()]
    if not missing:
        return
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        session.warn(f"cannot install {', '.join(missing)} (needs root and apt-get): "
                     "the browser and README-snippet tests will fail")
        return
    session.log(f"installing Debian packages {', '.join(missing)} with apt-get (with what they depend on, "
                "about 170 packages): Chromium for the browser tests of index.html, R for the README's "
                "R snippet, CJK fonts so that the page shows its characters")
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", "-qq", external=True, env=env)
    session.run("apt-get", "install", "-y", "-qq", *missing, external=True, env=env)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite (unit, property, end-to-end, browser)."""
    install_system_packages(session)
    session.install("-e", ".[dev,dask]", "-c", "constraints.txt")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    session.install("ruff", "-c", "constraints.txt")
    session.run("ruff", "check", "pipeline", "tests", "scripts", "noxfile.py")


@nox.session(python=PYTHON)
def release(session: nox.Session) -> None:
    """dist/<name>-<version>.zip with descriptor, data, dictionary and changelog, and its sha256."""
    session.install("-e", ".", "-c", "constraints.txt")
    session.run("python", "scripts/release.py", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Build 1×, 10× and 100× corpora of the seeds, plain copies and distinct (perturbed) ones,
    and report the median and spread of 3 runs of time, CPU per MB, throughput and memory (add
    `-- --sizes 1,10,100,1000` for 1000×); then the readers on the seeds written as web pages,
    Word files and PDFs (reportlab writes them)."""
    session.install("-e", ".[dask]", "jionlp", "reportlab", "-c", "constraints.txt")
    session.run("python", "scripts/bench.py", *session.posargs)


@nox.session(python=PYTHON)
def compare(session: nox.Session) -> None:
    """Our amount extraction against JioNLP's extract_money: value F1, qualifier accuracy and
    MB/s on the shipped sample, and on the dev and corpus gold where ../shared holds them."""
    session.install("-e", ".", "jionlp", "-c", "constraints.txt")
    session.run("python", "scripts/compare_money.py", *session.posargs)
