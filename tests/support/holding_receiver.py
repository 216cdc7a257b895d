"""An agency webhook that holds a delivery open until told: a forwarding caught in flight."""

from __future__ import annotations

import threading
from collections import Counter

from tests.support.agency_receiver import AgencyReceiver


class HoldingReceiver(AgencyReceiver):
    """Like AgencyReceiver, but the ``hold_at``-th request waits for ``release`` and gets a 503.

    ``arrivals`` counts every signed request per ``X-Lapor-Delivery``, answered or not;
    ``received`` (as in AgencyReceiver) lists only the deliveries answered 200.
    """

    def __init__(self, secret: str, hold_at: int = 1) -> None:
        super().__init__(secret)
        self.hold_at = hold_at
        self.holding = threading.Event()  # set once a request is being held
        self.release = threading.Event()
        self.held: list[str] = []
        self.arrivals: Counter[str] = Counter()
        # The held request's client is gone by the time it is answered: stay quiet about it.
        self.server.handle_error = lambda request, address: None

    def _take(self, headers: dict, body: bytes) -> int:
        delivery = headers.get("X-Lapor-Delivery", "")
        with self.lock:
            self.arrivals[delivery] += 1
            hold = sum(self.arrivals.values()) == self.hold_at
            if hold:
                self.held.append(delivery)
        if hold:
            self.holding.set()
            self.release.wait(timeout=110)
            with self.lock:
                self.calls += 1
            return 503
        return super()._take(headers, body)

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        super().__exit__(*exc)
