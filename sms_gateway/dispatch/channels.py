"""The channels that carry a ticket to an agency: a signed JSON webhook, or e-mail over SMTP.

Each send either returns (delivered) or raises :class:`Transient` (worth another try: network
errors, timeouts, HTTP 429 and 5xx, SMTP 4xx) or :class:`Permanent` (another try would get the
same answer: other HTTP 4xx, redirects, SMTP 5xx, a missing secret or address).
"""

from __future__ import annotations

import smtplib
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

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


_opener = urllib.request.build_opener(_NoRedirect)


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
    """POST ``body`` signed with ``secret``; the HTTP status on 2xx, else raise."""
    if not secret:
        raise Permanent("the agency has no webhook secret: set it with `agencies channel`")
    stamp = int(time.time()) if timestamp is None else timestamp
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "lapor-sms/1 (+SP4N-LAPOR! 1708)",
            signing.TIMESTAMP_HEADER: str(stamp),
            signing.SIGNATURE_HEADER: signing.signature(secret, stamp, body),
            signing.DELIVERY_HEADER: delivery_id,
            signing.EVENT_HEADER: event,
        },
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 429 or exc.code >= 500:
            raise Transient(f"HTTP {exc.code} from the agency's server", exc.code) from None
        raise Permanent(f"HTTP {exc.code} from the agency's server", exc.code) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise Transient(f"could not reach the agency's server: {reason}") from None


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
