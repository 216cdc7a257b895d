"""The sandbox: nothing leaves the machine; the outbound table is the outbox."""

from __future__ import annotations


class SandboxProvider:
    name = "sandbox"

    def send(self, *, to: str, body: str, reference: str) -> str:
        """Accept the message; its row in ``outbound_messages`` is the local outbox."""
        return f"sandbox-{reference}"
