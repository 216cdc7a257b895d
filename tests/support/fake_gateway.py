"""The parts the fake Jasmin and Kannel servers share: a threaded local HTTP server."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeGateway:
    """A real HTTP server on 127.0.0.1; subclasses answer ``handle(path, fields)``."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.requests = 0
        self.fail_next = 0  # answer this many requests with ``fail_status`` first
        self.fail_status = 500
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

            def do_GET(self) -> None:  # noqa: N802
                fake._serve(self, urlsplit(self.path).query)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                query = urlsplit(self.path).query
                body = self.rfile.read(length).decode()
                fake._serve(self, "&".join(part for part in (query, body) if part))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self):  # noqa: ANN204
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _serve(self, handler: BaseHTTPRequestHandler, query: str) -> None:
        fields = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        with self.lock:
            self.requests += 1
            status, body = self.handle(urlsplit(handler.path).path, fields)
        data = body.encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def handle(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        raise NotImplementedError
