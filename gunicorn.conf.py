"""gunicorn settings for the web process (override any with GUNICORN_CMD_ARGS)."""

import os
import shutil
from pathlib import Path

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = 1
worker_class = "sync"
keepalive = 5
timeout = 30
accesslog = "-" if os.environ.get("ACCESS_LOG") else None

# Metrics from every worker process add up in one directory.
_metrics_dir = Path(
    os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR",
        str(
            Path(os.environ.get("INSTANCE_PATH", Path(__file__).parent / "instance")) / "prometheus"
        ),
    )
)


def on_starting(server):  # noqa: ANN001, ANN201
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    _metrics_dir.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):  # noqa: ANN001, ANN201
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
