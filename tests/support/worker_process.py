"""A real ``python -m workers`` process for a test: started, watched, killed or stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import redis
from rq import Worker

from config import Settings

ROOT = Path(__file__).resolve().parents[2]


def environment(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment that gives a worker process the same stack as ``settings``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")
    }
    env.update(
        APP_ENV="test",
        DATABASE_URL=settings.database_url,
        REDIS_URL=settings.redis_url,
        INSTANCE_PATH=str(settings.instance_path),
        SMS_PROVIDER=settings.sms_provider,
        TWILIO_AUTH_TOKEN=settings.twilio_auth_token,
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


class WorkerProcess:
    """``python -m workers`` in its own process group (its rq scheduler child included)."""

    def __init__(self, env: dict[str, str], log: Path, burst: bool = False) -> None:
        self.name = f"faults-{uuid.uuid4().hex[:10]}"
        self.log = log
        args = [sys.executable, "-m", "workers", "--name", self.name]
        if burst:
            args.append("--burst")
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                args,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def registered(self, connection: redis.Redis) -> bool:
        return self.name in {w.name for w in Worker.all(connection=connection)}

    def kill(self) -> None:
        """SIGKILL the worker and everything it started: no clean-up of any kind runs."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def wait(self, timeout: float) -> int:
        """Wait for a burst worker to finish; its exit status."""
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """Stop the worker if it still runs (a test that failed half-way)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def until(condition, timeout: float, what: str, every: float = 0.05):  # noqa: ANN001, ANN201
    """Poll ``condition()`` until it is truthy (returned) or ``timeout`` seconds pass (fails)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)
