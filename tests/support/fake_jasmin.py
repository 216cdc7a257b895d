"""A local HTTP server answering like Jasmin's HTTP API ``/send`` (ja-http), errors included."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode, urlsplit

from .fake_gateway import FakeGateway


class FakeJasmin(FakeGateway):
    def __init__(self, username: str, password: str) -> None:
        super().__init__()
        self.username, self.password = username, password
        self.no_route: set[str] = set()  # numbers no route leads to (412)

    def handle(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        if path != "/send":
            return 404, "Not found"
        if self.fail_next > 0:
            self.fail_next -= 1
            return (
                self.fail_status,
                'Error "Cannot send submit_sm, check SMPPClientManagerPB log file for details"',
            )
        for name in ("username", "password", "to"):
            if name not in fields:
                return 400, f'Error "Mandatory argument {name} is not found."'
        if "content" not in fields and "hex-content" not in fields:
            return 400, 'Error "Mandatory argument content is not found."'
        if (fields["username"], fields["password"]) != (self.username, self.password):
            return 403, f'Error "Authentication failure for username:{fields["username"]}"'
        if fields["to"] in self.no_route:
            return 412, 'Error "No route found"'
        text = fields.get("content")
        if "hex-content" in fields:
            text = bytes.fromhex(fields["hex-content"]).decode("utf-16-be")
        message_id = str(uuid.uuid4())
        self.sent.append(dict(fields, text=text, id=message_id))
        return 200, f'Success "{message_id}"'

    def dlr(self, index: int, message_status: str, err: str = "000") -> tuple[str, dict]:
        """The (path, form) Jasmin would POST to the dlr-url of the ``index``-th message sent."""
        sent = self.sent[index]
        split = urlsplit(sent["dlr-url"])
        form = {"id": sent["id"], "message_status": message_status, "level": sent["dlr-level"]}
        if not message_status.startswith("ESME_"):
            form.update(id_smsc="2567", sub="001", dlvrd="001", err=err, text=sent["text"][:20])
        return f"{split.path}?{split.query}", form


def mo_form(message_id: str, sender: str, content: str) -> str:
    """The body Jasmin's HTTP client connector POSTs for one SMS-MO (GSM-7 text)."""
    return urlencode(
        {
            "id": message_id,
            "from": sender,
            "to": "1708",
            "origin-connector": "telkomsel",
            "priority": "0",
            "coding": "0",
            "validity": "",
            "content": content,
            "binary": content.encode("latin-1", "replace").hex(),
        }
    )
