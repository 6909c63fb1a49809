"""What a command leaves behind: processes still running after it ended, files changed.

Every process the command starts (worker processes, a Dask cluster's nannies and workers, a
multiprocessing resource tracker) inherits its environment, so a token put in that
environment finds them all in /proc, even once they have been reparented.
"""
from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

TOKEN = "PIPELINE_TEST_RUN"


def marked_environment(**extra: str) -> tuple[dict[str, str], str]:
    token = uuid.uuid4().hex
    return os.environ | extra | {TOKEN: token}, token


def processes_with(token: str) -> list[int]:
    """Live processes (zombies aside) whose environment carries `token`."""
    needle = f"{TOKEN}={token}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def assert_no_process_left(token: str, grace: float = 10.0) -> None:
    """None is left: processes that are already exiting get `grace` seconds to finish."""
    deadline = time.monotonic() + grace
    while (left := processes_with(token)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left == [], f"processes left behind: {left}"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (links as links), by relative path."""
    files = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            files[key] = b"-> " + os.fsencode(os.readlink(path))
        elif path.is_file():
            files[key] = path.read_bytes()
        else:
            files[key + "/"] = b""
    return files
