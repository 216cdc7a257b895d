"""The channels that carry a ticket to an agency: a signed JSON webhook, or e-mail over SMTP.

Each send either returns (delivered) or raises :class:`Transient` (worth another try: network
errors, timeouts, HTTP 429 and 5xx, SMTP 4xx) or :class:`Permanent` (another try would get the
same answer: other HTTP 4xx, redirects, SMTP 5xx, a missing secret or address).
"""

from __future__ import annotations

import atexit
import functools
import http.client
import os
import smtplib
import ssl
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import urlsplit

from . import signing


class DispatchError(Exception):
    """A forwarding that failed; ``code`` is the HTTP or SMTP status when there was one."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class Transient(DispatchError):
    """Failed for now; another try may succeed."""


class Permanent(DispatchError):
    """Refused; another try would fail the same way."""


@dataclass(frozen=True)
class Smtp:
    """How to reach the SMTP server."""

    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    starttls: bool = False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None  # a redirected POST is an error the agency must fix, never followed


_opener = urllib.request.build_opener(_NoRedirect)  # for agencies reached through a proxy

# A connection the agency's server kept open is used again for a next delivery to it if it has
# been idle less than this: below the shortest keep-alive servers commonly allow (Apache's
# default is 5 s), so a connection is rarely found closed.
IDLE_SECONDS = 4.0
IDLE_PER_SERVER = 4
# A delivery whose reused connection turns out closed before any answer is sent once more on
# a new one (the agency may see it twice: X-Lapor-Delivery says it is the same).
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)

Origin = tuple[str, str, int]  # scheme, host, port


class _Connections:
    """The process's idle keep-alive connections, newest last, per server."""

    def __init__(self) -> None:
        self.idle: dict[Origin, list[tuple[http.client.HTTPConnection, float]]] = {}
        self.lock = threading.Lock()
        self.swept = time.monotonic()

    def take(self, origin: Origin, timeout: float) -> http.client.HTTPConnection:
        """An idle connection to ``origin`` recent enough, else a new one (not yet connected)."""
        now, expired = time.monotonic(), []
        with self.lock:
            idle = self.idle.get(origin, [])
            while idle:
                connection, since = idle.pop()
                if now - since < IDLE_SECONDS and connection.sock is not None:
                    break
                expired.append(connection)
            else:
                connection = None
        for old in expired:
            old.close()
        if connection is not None:
            connection.sock.settimeout(timeout)
            return connection
        scheme, host, port = origin
        if scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=timeout, context=_tls())
        return http.client.HTTPConnection(host, port, timeout=timeout)

    def give_back(self, origin: Origin, connection: http.client.HTTPConnection) -> None:
        now = time.monotonic()
        with self.lock:
            idle = self.idle.setdefault(origin, [])
            idle.append((connection, now))
            surplus = [old for old, _ in idle[:-IDLE_PER_SERVER]]
            del idle[:-IDLE_PER_SERVER]
            if now - self.swept >= IDLE_SECONDS:  # other servers' expired ones, now and then
                self.swept = now
                for key, connections in list(self.idle.items()):
                    surplus += [old for old, since in connections if now - since >= IDLE_SECONDS]
                    kept = [(c, since) for c, since in connections if now - since < IDLE_SECONDS]
                    if kept:
                        self.idle[key] = kept
                    else:
                        del self.idle[key]
        for old in surplus:
            old.close()

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, {}
        for connections in idle.values():
            for connection, _ in connections:
                connection.close()

    def forget(self) -> None:
        """In a forked child: the parent's connections are the parent's to use."""
        self.idle, self.lock = {}, threading.Lock()


_connections = _Connections()
atexit.register(_connections.close)
os.register_at_fork(after_in_child=_connections.forget)


@functools.cache
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()  # certificates and host names checked


def _origin(url: str) -> tuple[tuple[str, str, int], str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Permanent(f"not an http(s) webhook address: {url[:200]!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Permanent(f"not a valid port in the webhook address: {url[:200]!r}") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return (parts.scheme, parts.hostname, port), path


@functools.cache
def _proxies() -> dict[str, str]:
    return urllib.request.getproxies()  # read once: it walks the whole environment


def _proxied(host: str) -> bool:
    return bool(_proxies()) and not urllib.request.proxy_bypass(host)


def _status(code: int) -> int:
    if 200 <= code < 300:
        return code
    if code == 429 or code >= 500:
        raise Transient(f"HTTP {code} from the agency's server", code)
    raise Permanent(f"HTTP {code} from the agency's server", code)  # redirects never followed


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """One POST on a kept-alive connection of this thread; the HTTP status, whatever it is."""
    origin, path = _origin(url)
    for fresh_try in (False, True):
        connection = _connections.take(origin, timeout)
        reused = connection.sock is not None
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except _STALE:
            connection.close()
            if reused and not fresh_try:
                continue  # closed by the server while idle: once more, on a new connection
            raise
        except BaseException:
            connection.close()
            raise
        if response.will_close:
            connection.close()
        else:
            _connections.give_back(origin, connection)
        return response.status
    raise AssertionError("unreachable")


def post_webhook(
    url: str,
    secret: str,
    body: bytes,
    *,
    delivery_id: str,
    event: str,
    timeout: float,
    timestamp: int | None = None,
) -> int:
    """POST ``body`` signed with ``secret``; the HTTP status on 2xx, else raise.

    The connection is kept open for the thread's next delivery to the same server (agencies
    reached through a proxy from the environment go through urllib instead, one connection each).
    """
    if not secret:
        raise Permanent("the agency has no webhook secret: set it with `agencies channel`")
    stamp = int(time.time()) if timestamp is None else timestamp
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "lapor-sms/1 (+SP4N-LAPOR! 1708)",
        signing.TIMESTAMP_HEADER: str(stamp),
        signing.SIGNATURE_HEADER: signing.signature(secret, stamp, body),
        signing.DELIVERY_HEADER: delivery_id,
        signing.EVENT_HEADER: event,
    }
    try:
        if not _proxied(urlsplit(url).hostname or ""):
            return _status(_post(url, body, headers, timeout))
        request = urllib.request.Request(url, data=body, method="POST", headers=headers)
        with _opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return _status(exc.code)
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise Transient(f"could not reach the agency's server: {reason}") from None
    except ValueError as exc:  # an address http.client refuses (control characters, …)
        raise Permanent(f"not a valid webhook address: {exc}") from None


def send_email(
    smtp: Smtp,
    to: str,
    subject: str,
    text: str,
    *,
    message_id: str,
    attachment: tuple[str, bytes] | None = None,
    timeout: float,
) -> None:
    """Send one plain-text e-mail (with an optional JSON attachment) or raise."""
    if not to:
        raise Permanent("the agency has no e-mail address: set it with `agencies channel`")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = smtp.sender, to, subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id
    message.set_content(text)
    if attachment is not None:
        name, data = attachment
        message.add_attachment(data, maintype="application", subtype="json", filename=name)
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=timeout) as client:
            if smtp.starttls:
                client.starttls()
            if smtp.username:
                client.login(smtp.username, smtp.password)
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        error = Permanent if all(code >= 500 for code in codes) else Transient
        raise error(f"SMTP refused {to}: {codes}", max(codes)) from None
    except smtplib.SMTPResponseException as exc:
        error = Permanent if exc.smtp_code >= 500 else Transient
        raise error(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", exc.smtp_code) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise Transient(f"SMTP failed: {exc}") from None
