"""The agency webhook's client: one kept-alive connection per server, safe when a server drops it."""

from __future__ import annotations

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sms_gateway.dispatch import channels
from sms_gateway.dispatch.signing import verify

SECRET = "rahasia-webhook-uji-2026"


class Server:
    """An HTTP/1.1 agency server that counts connections and verified deliveries.

    ``drop_after_answer``: it closes each connection right after answering without saying so
    (no ``Connection: close``), as a server does whose keep-alive ran out while the client slept.
    ``answer``: the status it gives.
    """

    def __init__(self, drop_after_answer: bool = False, answer: int = 200) -> None:
        self.connections = 0
        self.closed = threading.Event()  # set when a client closed a connection
        self.deliveries: list[str] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                with server.lock:
                    server.connections += 1

            def finish(self) -> None:
                super().finish()
                server.closed.set()

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                signed = verify(
                    SECRET,
                    self.headers["X-Lapor-Timestamp"],
                    body,
                    self.headers["X-Lapor-Signature"],
                    time.time(),
                )
                if signed:
                    with server.lock:
                        server.deliveries.append(self.headers["X-Lapor-Delivery"])
                self.send_response(answer if signed else 401)
                if 300 <= answer < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
                if drop_after_answer:
                    self.close_connection = True

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}/lapor/masuk?v=1"

    def __enter__(self) -> Server:
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.shutdown()
        self.http.server_close()


def post(url: str, number: int) -> int:
    body = json.dumps({"delivery_id": f"dispatch-{number}", "ticket": {"text": "lampu mati"}})
    return channels.post_webhook(
        url, SECRET, body.encode(), delivery_id=f"dispatch-{number}", event="t", timeout=5
    )


def test_deliveries_to_one_server_share_one_connection():
    with Server() as server:
        answers = [post(server.url, n) for n in range(1, 6)]
    print(f"5 deliveries, {server.connections} connection(s)")
    assert answers == [200] * 5
    assert server.deliveries == [f"dispatch-{n}" for n in range(1, 6)]
    assert server.connections == 1


def test_a_connection_the_server_dropped_is_replaced_and_nothing_is_sent_twice():
    with Server(drop_after_answer=True) as server:
        answers = []
        for n in range(1, 5):
            answers.append(post(server.url, n))
            time.sleep(0.05)  # the server has closed its end by now
    print(f"4 deliveries over {server.connections} connections, received {server.deliveries}")
    assert answers == [200] * 4
    assert server.deliveries == [f"dispatch-{n}" for n in range(1, 5)]
    assert server.connections == 4


def test_a_connection_idle_too_long_is_not_used_again(monkeypatch):
    monkeypatch.setattr(channels, "IDLE_SECONDS", 0.0)
    with Server() as server:
        assert [post(server.url, n) for n in (1, 2)] == [200, 200]
    assert server.connections == 2


def test_connections_left_idle_at_other_servers_are_closed_in_time(monkeypatch):
    monkeypatch.setattr(channels, "IDLE_SECONDS", 0.2)
    with Server() as first, Server() as second:
        assert post(first.url, 1) == 200
        time.sleep(0.3)
        assert not first.closed.is_set()  # still held open by the client
        assert post(second.url, 2) == 200  # the client tidies up while giving this one back
        assert first.closed.wait(5)
        assert not second.closed.is_set()


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (503, channels.Transient),
        (429, channels.Transient),
        (302, channels.Permanent),
        (404, channels.Permanent),
    ],
)
def test_answers_that_are_not_2xx_raise_what_they_mean(answer, error):
    with Server(answer=answer) as server:
        with pytest.raises(error) as raised:
            post(server.url, 7)
        assert raised.value.code == answer
        # the connection stays good for the next delivery
        with pytest.raises(error):
            post(server.url, 8)
    assert server.connections == 1


def test_an_address_that_cannot_be_reached_or_used_is_refused_clearly():
    with Server() as server:
        port = server.http.server_port
    with pytest.raises(channels.Transient, match="could not reach"):
        post(f"http://127.0.0.1:{port}/lapor", 1)  # closed now
    with pytest.raises(channels.Permanent, match="not an http"):
        post("ftp://127.0.0.1/lapor", 2)
    with pytest.raises(channels.Permanent, match="port"):
        post("http://127.0.0.1:99999/lapor", 3)


def test_a_forked_child_never_uses_its_parents_connections():
    with Server() as server:
        assert post(server.url, 1) == 200
        assert channels._connections.idle  # kept for the next delivery
        child = os.fork()
        if child == 0:  # the child: nothing kept, and its own delivery opens its own connection
            ok = not channels._connections.idle and post(server.url, 2) == 200
            os._exit(0 if ok else 1)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert post(server.url, 3) == 200  # the parent's connection is still good
    assert server.deliveries == ["dispatch-1", "dispatch-2", "dispatch-3"]
    assert server.connections == 2
