"""SIGINT and SIGTERM during a build: raise `Interrupted` in the main thread, so that every
`finally` runs (workers stopped, staging removed, the lock released), except while the new
package is being put in place, which is finished first.

Worker processes ignore SIGINT (a Ctrl-C reaches the whole process group: the main process
alone decides) and die with their parent: the main process terminates them when it stops,
and the kernel kills them if the main process is killed outright (Linux PR_SET_PDEATHSIG).
"""
from __future__ import annotations

import ctypes
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pipeline.errors import Interrupted

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
PR_SET_PDEATHSIG = 1


class _State:
    handling = False     # our handlers are installed
    stopping: int | None = None  # the signal acted on: later ones are not raised again
    deferring = 0        # inside a section that must not be cut short
    pending: int | None = None


def _handler(signum: int, frame) -> None:
    if _State.stopping:
        return
    if _State.deferring:
        _State.pending = _State.pending or signum
        return
    _State.stopping = signum
    raise Interrupted(signum)


def raise_if_stopping() -> None:
    """Raise `Interrupted` again if a signal was acted on but the build goes on: the first one
    was swallowed on its way (a library's bare `except:`). Called where the build waits."""
    if _State.handling and _State.stopping:
        raise Interrupted(_State.stopping)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted` inside the block (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _handler) for signum in STOP_SIGNALS}
    _State.handling, _State.stopping, _State.pending = True, None, None
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _State.handling = False


@contextmanager
def uninterrupted() -> Iterator[None]:
    """A section that a signal must not cut short (putting the new package in place).

    With our handlers, a signal that arrives inside is held and raised once the section has
    completed, as `Interrupted(published=True)`; without them (the library called directly),
    the signals are blocked for its duration and delivered after it."""
    if not _State.handling:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        return
    _State.deferring += 1
    try:
        yield
    finally:
        _State.deferring -= 1
    if _State.pending and not _State.deferring:
        signum, _State.pending, _State.stopping = _State.pending, None, _State.pending
        raise Interrupted(signum, published=True)


def worker_setup(parent: int) -> None:
    """Initializer of a worker process: Ctrl-C is the main process's to handle, SIGTERM kills
    (the handler inherited through fork would not), and the worker dies with its parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the main process still terminates its workers
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
