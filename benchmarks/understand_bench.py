"""Time ``understand()`` per SMS on a few thousand generated SMS-style messages.

Run from the project root: ``python -m benchmarks.understand_bench [--count 5000] [--seed 7]``. Prints p50/p99/max
microseconds per call after a warm-up; the target is p99 <= 2,000 µs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from sms_gateway import tracking
from sms_gateway.understand import understand

OPENERS = [
    "",
    "",
    "",
    "RAHASIA ",
    "anonim: ",
    "Rahasia, anonim - ",
    "#rahasia ",
    "Pak, ",
    "Mhn ",
    "tlg ",
]
SUBJECTS = [
    "jln dpn rmh",
    "lampu jalan di gg 3",
    "got di rt05 rw02",
    "jembatan dkt sd",
    "sampah di psr",
    "pdam di kel sukamaju",
    "listrik di ds kalimanah",
    "antrean di puskesmas",
    "bansos ibu sy",
    "ktp elektronik sy",
    "pungli di kantor desa",
    "angkot ngetem",
    "parkir liar dpn toko",
    "the road near my house",
    "street light on main street",
]
PROBLEMS = [
    "rusak parahhh",
    "mati udh 2 mggu",
    "mampet bau bgttt",
    "blm cair smp skrg",
    "blm jadi2",
    "minta uang 50rb",
    "bikin macet tiap pagi",
    "berlubang dalam",
    "sering banjir kalau hujan",
    "is broken for weeks",
    "has been dark since last month",
    "gk ada yg urus",
]
TAILS = [
    "",
    "",
    " tolong segera diperbaiki",
    " mhn ditindaklanjuti",
    " trims",
    " hub 0812-3456-7890",
    " NIK sy 3201014508900001",
    " email budi.s@contoh.id",
    " transfer ke rek bri 1234567890123",
    " sdh lapor no laporan {no} blm ada kabar",
    " s4ya b3lum dpt info",
    "!!! 😡😡",
]
EMERGENCIES = [
    "tolong ada kebakaran di gg melati skrg",
    "kecelakaan di jl raya ada korban luka",
    "banjir sdg naik sdh masuk rumah",
    "ada org dipukuli di pasar tolong",
    "anak tenggelam di sungai",
    "ibu sy pingsan butuh ambulans",
]


def message(rng: random.Random) -> str:
    """One random SMS: a command, an emergency, junk, or a complaint assembled from parts."""
    number = tracking.generate()
    roll = rng.random()
    if roll < 0.15:
        return rng.choice([
            f"STATUS {number}", f"cek no {tracking.display(number)}", f"Cek #{number[:-1]}",
            f"INFO {number} lubangnya makin besar", f"BATAL {number}", f"NILAI {number} 5 mantap",
            "BANTUAN", "stop", "MULAI", "bahasa en", "statsu", "help",
        ])  # fmt: skip
    if roll < 0.20:
        return rng.choice(EMERGENCIES)
    if roll < 0.23:
        return rng.choice(["", "   ", "?!", "😀😀😀", "\x00\x01", "ok"])
    parts = [rng.choice(OPENERS), rng.choice(SUBJECTS), " ", rng.choice(PROBLEMS)]
    for _ in range(rng.choice([1, 1, 1, 2, 4, 8])):
        parts.append(rng.choice(TAILS).format(no=number))
    text = "".join(parts)
    return text.upper() if rng.random() < 0.2 else text


def main() -> None:
    """Generate messages, warm up, time each call, print the percentiles."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    messages = [message(rng) for _ in range(args.count)]
    for text in messages[:500]:
        understand(text)
    timings = []
    for text in messages:
        start = time.perf_counter_ns()
        understand(text)
        timings.append((time.perf_counter_ns() - start) / 1000)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    mean_len = statistics.mean(len(m) for m in messages)
    print(f"{len(messages)} messages, mean length {mean_len:.0f} chars")
    print(f"p50 {statistics.median(timings):.0f} µs  p99 {p99:.0f} µs  max {timings[-1]:.0f} µs")
    print("target p99 <= 2000 µs:", "met" if p99 <= 2000 else "MISSED")


if __name__ == "__main__":
    main()
