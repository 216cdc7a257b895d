"""REDIS_URL may name a Sentinel-watched master: the service finds it through real sentinels."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from rq import Queue

from sms_gateway import embedded_redis, redis_conn


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, seconds: float = 10.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def sentinel(tmp_path: Path):  # noqa: ANN201
    """A redis-server on a TCP port and one sentinel watching it as master 'lapor'."""
    binary = embedded_redis._executable()
    master, watcher = _free_port(), _free_port()
    conf = tmp_path / "sentinel.conf"
    conf.write_text(
        f"port {watcher}\nbind 127.0.0.1\ndir {tmp_path}\n"
        f"sentinel monitor lapor 127.0.0.1 {master} 1\n"
    )
    processes = [
        subprocess.Popen(
            [
                binary,
                "--port",
                str(master),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
        ),
        subprocess.Popen([binary, str(conf), "--sentinel"], stdout=subprocess.DEVNULL),
    ]
    try:
        _wait(lambda: redis.Redis(port=watcher, socket_timeout=1).ping())
        _wait(
            lambda: redis.Redis(port=watcher, socket_timeout=1).sentinel_get_master_addr_by_name(
                "lapor"
            )
        )
        yield f"redis+sentinel://127.0.0.1:{watcher}/lapor/3", master
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def test_sentinel_url_reaches_the_master_and_rq_works_through_it(sentinel) -> None:  # noqa: ANN001
    url, master_port = sentinel
    connection = redis_conn.connect(url)
    connection.set("lapor:probe", "ok")
    direct = redis.Redis(port=master_port, db=3)
    assert direct.get("lapor:probe") == b"ok"  # it was the master, database 3
    job = Queue("default", connection=connection).enqueue("builtins.len", "abc")
    assert direct.exists(f"rq:job:{job.id}")


def test_sentinel_url_without_a_master_name_is_refused() -> None:
    with pytest.raises(ValueError, match="names the master"):
        redis_conn.connect("redis+sentinel://127.0.0.1:26379")
