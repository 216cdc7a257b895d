"""Benchmark of sms_gateway.places: load time, memory, and latency of locate() per message.

Run: python -m benchmarks.places_bench [--messages 5000] [--seed 1708]
Messages are generated here from the region list and phrases written for this script.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc

from sms_gateway.places import locate
from sms_gateway.places.index import name_index
from sms_gateway.places.regions import ancestor, depth, table

PROBLEMS = (
    "jalan rusak parah bnyk lubang",
    "lampu pju mati sdh 2 mggu",
    "sampah gk diangkut2 bau bgt",
    "got mampet kalo hujan banjir",
    "pungli pas urus ktp di kantor",
    "bansos blm cair pdhl sdh terdaftar",
    "air pdam mati dr kmrn",
    "guru sering gk masuk kelas",
    "antri bpjs lama bgt pelayanan lambat",
    "pohon tumbang nutup jalan raya",
)
TAILS = ("mohon ditindak", "tlg dicek pak", "sdh lapor tp gk ada respon", "", "trims")


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 7:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def _place(rng: random.Random) -> str:
    data = table()
    i = rng.randrange(len(data.codes))
    number = data.codes[i]
    name = data.names[i].lower().removeprefix("kabupaten ").removeprefix("kota ")
    d = depth(number)
    kab = data.name(ancestor(number, 2)).lower() if d >= 2 else ""
    style = rng.randrange(5)
    if style == 0:
        return name
    if style == 1:
        return f"{('', 'prov', 'kab', 'kec', 'kel')[d]} {name} {kab}".strip()
    if style == 2:
        return _typo(name, rng)
    if style == 3:
        return f"di {name} {kab}"
    return ""


def messages(count: int, seed: int) -> list[str]:
    """Generate varied SMS-style complaints, one in five without any place."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = [rng.choice(PROBLEMS), _place(rng), rng.choice(TAILS)]
        if rng.random() < 0.2:  # a long, multi-part complaint
            parts += [rng.choice(PROBLEMS), _place(rng), rng.choice(PROBLEMS)]
        text = " ".join(p for p in parts if p)
        out.append(text.upper() if rng.random() < 0.1 else text)
    return out


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1708)
    args = parser.parse_args()

    tracemalloc.start()
    started = time.perf_counter()
    name_index()
    loaded = time.perf_counter() - started
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    started = time.perf_counter()
    name_index.cache_clear()
    table.cache_clear()
    name_index()
    untraced = time.perf_counter() - started

    texts = messages(args.messages, args.seed)
    for text in texts[:200]:  # warm the per-word caches a little, as a running worker would be
        locate(text)
    timings = []
    found = 0
    for text in texts:
        t0 = time.perf_counter()
        location = locate(text)
        timings.append((time.perf_counter() - t0) * 1000)
        found += location.region is not None
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(f"load (first call, no tracing): {untraced:.2f} s; under tracemalloc: {loaded:.2f} s")
    print(
        f"memory retained after load: {current / 1e6:.1f} MB, peak while loading {peak / 1e6:.1f} MB"
    )
    print(f"messages: {len(texts)}, with a region found: {found}")
    print(f"locate(): p50 {p50:.3f} ms, p99 {p99:.3f} ms, max {timings[-1]:.3f} ms")


if __name__ == "__main__":
    main()
