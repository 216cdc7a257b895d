"""CPU used by each part of a running system, read from /proc (Linux), for the benchmarks.

A benchmark reads ``cpu_by_part`` before and after a run; the difference divided by the
messages of the run is what each part paid per message, on this machine, under that load.
"""

from __future__ import annotations

import os
import resource
import subprocess
from pathlib import Path


def _processes() -> dict[int, tuple[str, int, float]]:
    """Every process: pid → (name, parent pid, CPU seconds used so far)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, rest = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = rest.split()
        name = head.split("(", 1)[1]
        found[int(entry.name)] = (name, int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return found


def postgresql_seconds() -> float:
    """CPU seconds PostgreSQL's server processes have used so far (those alive now)."""
    return sum(used for name, _, used in _processes().values() if name.startswith("postgres"))


def _machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_by_part(web: subprocess.Popen, workers: list[subprocess.Popen]) -> dict[str, float]:
    """CPU seconds used so far by each part of the running system, and by the whole machine.

    The web and worker processes with their children; PostgreSQL's and Redis's server processes;
    this benchmark (its load-generating children once they ended, and the agency receiver).
    """
    processes = _processes()

    def tree(root: int) -> float:
        members, total = {root}, 0.0
        for pid in sorted(processes):  # parents start before their children
            name, parent, used = processes[pid]
            if pid in members or parent in members:
                members.add(pid)
                total += used
        return total

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "web": tree(web.pid),
        "workers": sum(tree(w.pid) for w in workers),
        "PostgreSQL": sum(u for n, _, u in processes.values() if n.startswith("postgres")),
        "Redis": sum(u for n, _, u in processes.values() if n.startswith("redis-server")),
        "load generator and agency receiver": own.ru_utime
        + own.ru_stime
        + children.ru_utime
        + children.ru_stime,
        "machine": _machine_busy(),
    }


def print_cpu(before: dict[str, float], after: dict[str, float], count: int, wall: float) -> None:
    """CPU per SMS of each part between two ``cpu_by_part`` readings."""
    used = {part: after[part] - before[part] for part in before}
    machine = used.pop("machine")
    other = machine - sum(used.values())
    parts = ", ".join(f"{part} {seconds / count * 1000:.1f}" for part, seconds in used.items())
    print(f"  CPU per SMS (ms): {parts}, other {other / count * 1000:.1f}")
    print(
        f"  machine busy {machine / count * 1000:.1f} ms per SMS: "
        f"{machine / wall:.2f} of {os.cpu_count()} cores over {wall:.0f} s"
    )
