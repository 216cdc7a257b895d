"""Classifier benchmark: full time-split evaluation beside the baseline, latency, size, memory.

    python benchmarks/classifier_bench.py [--data PATH ...] [--other-region PATH] [--json-out FILE]
                                          [--skip-eval]

Reads the complaints from ../shared/data at run time (or --data); latency is measured on the
test-period texts one SMS at a time with the shipped model, in this process; memory is the RSS of a
fresh process that imported `sms_gateway.classifier.predict` and classified one text.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RSS_PROBE = """
import json, sys
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) * 1024
before = rss()
from sms_gateway.classifier.predict import predict
predict(['lampu jalan mati'])
print(json.dumps({'before': before, 'after': rss(),
                  'sklearn_loaded': any(m.startswith('sklearn') for m in sys.modules)}))
"""


def latency(texts: list[str]) -> dict:
    """p50/p99/max milliseconds per text, one `predict([text])` call each, after a warm-up."""
    from sms_gateway.classifier.predict import predict

    predict(texts[:20])
    times = []
    for t in texts:
        start = time.perf_counter()
        predict([t])
        times.append((time.perf_counter() - start) * 1000)
    a = np.array(times)
    return {
        "n": len(a),
        "p50_ms": float(np.percentile(a, 50)),
        "p99_ms": float(np.percentile(a, 99)),
        "max_ms": float(a.max()),
    }


def memory() -> dict:
    out = subprocess.run(
        [sys.executable, "-c", RSS_PROBE], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", action="append", help="complaints CSV (repeatable)")
    ap.add_argument("--json-out")
    ap.add_argument("--skip-eval", action="store_true")
    ap.add_argument(
        "--other-region", help="LaporGub! CSV read as another province (default: the shared one)"
    )
    args = ap.parse_args(argv)

    from sms_gateway.classifier.model import MODEL_DIR
    from sms_gateway.classifier.train import load_complaints

    result: dict = {}
    if not args.skip_eval:
        from sms_gateway.classifier.elsewhere import DEFAULT_PATH
        from sms_gateway.classifier.evaluate import evaluate, format_report

        other = args.other_region or (DEFAULT_PATH if DEFAULT_PATH.is_file() else None)
        start = time.perf_counter()
        report = evaluate(args.data, other_region=other)
        result["evaluation"] = report
        result["evaluation_seconds"] = time.perf_counter() - start
        print(format_report(report))

    rows = load_complaints(args.data)
    texts = [e.text for e in rows if e.date[:7] >= "2023-01"]
    short = [t for t in texts if len(t) <= 160]
    result["latency_all_test_texts"] = latency(texts)
    result["latency_one_sms_texts"] = latency(short)
    result["model_bytes"] = sum(p.stat().st_size for p in MODEL_DIR.iterdir())
    result["memory"] = memory()
    mem = result["memory"]
    print()
    for key in ("latency_all_test_texts", "latency_one_sms_texts"):
        v = result[key]
        print(
            f"{key}: n={v['n']} p50 {v['p50_ms']:.3f} ms, p99 {v['p99_ms']:.3f} ms, "
            f"max {v['max_ms']:.3f} ms"
        )
    print(f"model size: {result['model_bytes'] / 1e6:.2f} MB ({MODEL_DIR})")
    print(
        f"process RSS: {mem['before'] / 1e6:.1f} MB bare python → {mem['after'] / 1e6:.1f} MB "
        f"after import + model load + one prediction (sklearn loaded: {mem['sklearn_loaded']})"
    )
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps(result, indent=1, default=str, ensure_ascii=False)
        )
    return result


if __name__ == "__main__":
    main()
