"""The periodic schedule, as data: what runs, how often."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import jobs


@dataclass(frozen=True)
class Periodic:
    name: str
    every_seconds: int
    run: Callable[[], object]


SCHEDULE: tuple[Periodic, ...] = (
    Periodic("sweep", 30, jobs.sweep),
    Periodic("replay_spool", 15, jobs.replay_spool),
    Periodic("sweep_dispatch", 30, jobs.sweep_dispatch),
    Periodic("close_unanswered", 3600, jobs.close_unanswered),
    Periodic("sla_sweep", 300, jobs.sla_sweep),
    Periodic("refresh_league", 300, jobs.refresh_league),
)
