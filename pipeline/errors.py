"""Errors the pipeline reports to people: each names the file, the line where there is one,
and carries a distinct exit status for scripts."""
from __future__ import annotations

import signal

# Exit statuses of `python -m pipeline`, one per kind of failure (all listed in the README).
EXIT_ERROR = 1  # any other failure, told in one line
EXIT_INPUT = 3
EXIT_VALIDATION = 4
EXIT_LOCKED = 5
EXIT_NO_INPUT = 6
EXIT_INTERNAL = 7
EXIT_OUTPUT = 8
EXIT_OUT_REFUSED = 9
EXIT_PREVIOUS = 10
# Stopped by a signal: 128 + its number, as a shell reports a process the signal killed.
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE


def exit_status_of(signum: int) -> int:
    return 128 + signum


class PipelineError(Exception):
    exit_status = EXIT_ERROR

    @property
    def reason(self) -> str:
        """What went wrong, for a list that already names the file."""
        return str(self)


class InputError(PipelineError):
    """A seed file that cannot be read as a policy text."""

    exit_status = EXIT_INPUT

    def __init__(self, file: str, line: int | None, code: str, message: str):
        self.file, self.line, self.code, self.message = file, line, code, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message} [{code}]")

    @property
    def reason(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.message} [{self.code}]"

    def __reduce__(self):
        # Worker processes (--workers, --executor dask) send it back pickled.
        return type(self), (self.file, self.line, self.code, self.message)


class ProcessingFailure(InputError):
    """A seed that was read but made a pipeline stage fail: a bug to report, not bad input.
    The file is named (and skipped with --keep-going) like an unreadable one."""

    exit_status = EXIT_INTERNAL


class ValidationFailure(PipelineError):
    """A record that breaks its JSON Schema, or a broken key; nothing is published."""

    exit_status = EXIT_VALIDATION


class LockedError(PipelineError):
    exit_status = EXIT_LOCKED


class OutputRefused(PipelineError):
    """`--out` names a folder the build must not replace: the seed folder or one around it, a
    file, or a folder holding files this pipeline did not write. Nothing is touched."""

    exit_status = EXIT_OUT_REFUSED


class PreviousReleaseError(PipelineError):
    """The package in `--out` cannot serve as the previous release (its descriptor cannot be
    read, has no version, comes from a newer pipeline, or its data files do not match it):
    the version and the changelog cannot continue from it, so nothing is published."""

    exit_status = EXIT_PREVIOUS


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: the build stops, cleans up and exits 128 + the signal.
    `published` is True when the signal came while the new package was being put in place,
    which was then finished first."""

    def __init__(self, signum: int, published: bool = False):
        self.signum, self.published = signum, published
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_status(self) -> int:
        return exit_status_of(self.signum)
