"""A local HTTP server that answers like Twilio's Messages API, error bodies included.

The real twilio SDK talks to it through TWILIO_API_BASE_URL. Tests script its behaviour: a
number of 500s (or 429s: ``fail_status``) before it recovers, or a permanent error for a number.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ERRORS = {
    21211: (400, "The 'To' number {to} is not a valid phone number."),
    21408: (
        400,
        "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}.",
    ),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21614: (400, "'To' number {to} is not a valid mobile number"),
}
FAILURES = {
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
    429: (20429, "Too Many Requests"),
}


class FakeTwilio:
    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sent: list[dict] = []
        self.fail_next = 0  # answer this many requests with ``fail_status`` first
        self.fail_status = 500
        self.requests = 0  # every request to the Messages API, failed ones included
        self.permanent: dict[str, int] = {}  # to-number -> Twilio error code
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

            def do_POST(self) -> None:  # noqa: N802
                fake._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> FakeTwilio:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _error(self, handler: BaseHTTPRequestHandler, status: int, code: int, message: str) -> None:
        self._answer(
            handler,
            status,
            {
                "code": code,
                "message": message,
                "status": status,
                "more_info": f"https://www.twilio.com/docs/errors/{code}",
            },
        )

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        expected = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if handler.headers.get("Authorization") != f"Basic {credentials}":
            return self._error(handler, 401, 20003, "Authenticate")
        if handler.path != expected:
            return self._error(handler, 404, 20404, "The requested resource was not found")
        length = int(handler.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(handler.rfile.read(length).decode()).items()}
        with self._lock:
            self.requests += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                code, message = FAILURES[self.fail_status]
                return self._error(handler, self.fail_status, code, message)
            if form.get("To") in self.permanent:
                code = self.permanent[form["To"]]
                status, message = ERRORS[code]
                return self._error(handler, status, code, message.format(to=form.get("To")))
            sid = f"SM{next(self._ids):032x}"
            self.sent.append(dict(form, sid=sid))
        self._answer(
            handler,
            201,
            {
                "sid": sid,
                "account_sid": self.account_sid,
                "to": form.get("To"),
                "from": form.get("From"),
                "body": form.get("Body"),
                "status": "queued",
                "num_segments": "1",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
            },
        )
