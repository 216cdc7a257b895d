"""The spool: where an inbound SMS waits when the database cannot take it.

When the database is down the webhook appends the request to a local file (one JSON line, one
``write`` on an ``O_APPEND`` descriptor, fsync'd) and still answers the provider, so the citizen's
message is never lost. :func:`replay` feeds the spooled messages through intake once the database
is back; intake is idempotent on the provider's message id, so replaying twice changes nothing.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from .intake import IncomingSms

log = logging.getLogger(__name__)

ACTIVE = "inbound.jsonl"


def append(spool_dir: Path, sms: IncomingSms) -> None:
    """Append one SMS to the spool, durably, safe with many writer processes."""
    spool_dir.mkdir(parents=True, exist_ok=True)
    record = asdict(sms)
    record["received_at"] = sms.received_at.isoformat()
    line = (json.dumps(record, ensure_ascii=True) + "\n").encode()
    path = spool_dir / ACTIVE
    while True:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)  # replay takes LOCK_EX before moving the file away
            try:
                current = os.stat(path).st_ino
            except FileNotFoundError:
                current = None
            if current != os.fstat(fd).st_ino:
                continue  # replay moved the file while we waited: write to the new one
            os.write(fd, line)
            os.fsync(fd)
            return
        finally:
            os.close(fd)


def pending(spool_dir: Path) -> int:
    """How many spooled messages wait for replay."""
    total = 0
    for path in _files(spool_dir):
        with open(path, "rb") as f:
            total += sum(1 for line in f if line.strip())
    return total


def _files(spool_dir: Path) -> list[Path]:
    if not spool_dir.exists():
        return []
    return sorted(spool_dir.glob("replaying-*.jsonl")) + (
        [spool_dir / ACTIVE] if (spool_dir / ACTIVE).exists() else []
    )


def _claim(spool_dir: Path) -> None:
    """Move the active file aside so new writes start a fresh one while we replay."""
    active = spool_dir / ACTIVE
    if not active.exists():
        return
    fd = os.open(active, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # waits for writers in the middle of an append
        if active.exists():
            os.rename(active, spool_dir / f"replaying-{time.time_ns()}.jsonl")
    finally:
        os.close(fd)


def _decode(line: bytes) -> IncomingSms:
    record = json.loads(line)
    record["received_at"] = datetime.fromisoformat(record["received_at"])
    return IncomingSms(**record)


def replay(spool_dir: Path, handle: Callable[[IncomingSms], None]) -> int:
    """Feed every spooled SMS to ``handle`` (which commits it); return how many were handled.

    One replayer at a time (a lock file). A file is deleted only after every line in it was
    handled; if ``handle`` raises (the database is still down) the rest stays for next time.
    """
    if not spool_dir.exists():
        return 0
    done = 0
    with open(spool_dir / "replay.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0
        _claim(spool_dir)
        for path in sorted(spool_dir.glob("replaying-*.jsonl")):
            with open(path, "rb") as f:
                lines = [line for line in f if line.strip()]
            for index, line in enumerate(lines):
                try:
                    sms = _decode(line)
                except (ValueError, TypeError) as exc:
                    _quarantine(spool_dir, line, exc)
                    continue
                try:
                    handle(sms)
                except Exception:
                    _keep(path, lines[index:])
                    raise
                done += 1
            path.unlink()
    return done


def _keep(path: Path, lines: list[bytes]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(b"".join(lines))
    os.replace(tmp, path)


def _quarantine(spool_dir: Path, line: bytes, exc: Exception) -> None:
    log.error("unreadable spool line moved to spool/bad.jsonl: %s", exc)
    with open(spool_dir / "bad.jsonl", "ab") as f:
        f.write(line if line.endswith(b"\n") else line + b"\n")
