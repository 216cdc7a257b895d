"""A local HTTP server answering like Kannel's smsbox ``/cgi-bin/sendsms``, errors included."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from .fake_gateway import FakeGateway


class FakeKannel(FakeGateway):
    def __init__(self, username: str, password: str) -> None:
        super().__init__()
        self.username, self.password = username, password

    @property
    def sendsms_url(self) -> str:
        return f"{self.url}/cgi-bin/sendsms"

    def handle(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        if path != "/cgi-bin/sendsms":
            return 404, "Not found"
        if self.fail_next > 0:
            self.fail_next -= 1
            return self.fail_status, "Sending failed."
        if (fields.get("username"), fields.get("password")) != (self.username, self.password):
            return 403, "Authorization failed for sendsms"
        if not fields.get("to"):
            return 400, "Missing receiver number"
        self.sent.append(fields)
        return 202, "0: Accepted for delivery"

    def dlr(self, index: int, kind: int, answer: str = "") -> str:
        """The URL Kannel would fetch for report type ``kind`` of the ``index``-th message."""
        template = self.sent[index]["dlr-url"]
        url = template.replace("%d", str(kind)).replace("%A", quote(answer, safe=""))
        split = urlsplit(url)
        return f"{split.path}?{split.query}"
