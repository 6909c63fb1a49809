"""Errors the pipeline reports to people: each names the file, the line where there is one,
and carries a distinct exit status for scripts."""
from __future__ import annotations

# Exit statuses of `python -m pipeline build`, one per kind of failure.
EXIT_INPUT = 3
EXIT_VALIDATION = 4
EXIT_LOCKED = 5
EXIT_NO_INPUT = 6
EXIT_INTERNAL = 7
EXIT_OUTPUT = 8


class PipelineError(Exception):
    exit_status = 1

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
