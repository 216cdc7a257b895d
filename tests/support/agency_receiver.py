"""A real agency webhook on 127.0.0.1 that verifies the HMAC signature of each delivery."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sms_gateway.dispatch.signing import verify


class AgencyReceiver:
    """Answers 401 to a bad signature; ``statuses`` lists the answers to give first (then 200)."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.statuses: list[int] = []
        self.received: list[dict] = []  # verified deliveries: headers and parsed body
        self.rejected = 0
        self.calls = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver._take(dict(self.headers), body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/lapor/tiket"

    def _take(self, headers: dict, body: bytes) -> int:
        with self.lock:
            self.calls += 1
            ok = verify(
                self.secret,
                headers.get("X-Lapor-Timestamp", ""),
                body,
                headers.get("X-Lapor-Signature", ""),
                time.time(),
            )
            if not ok:
                self.rejected += 1
                return 401
            if self.statuses:
                return self.statuses.pop(0)
            self.received.append({"headers": headers, "body": json.loads(body)})
            return 200

    def __enter__(self):  # noqa: ANN204
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
