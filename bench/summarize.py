#!/usr/bin/env python3
"""Prints the headline figures of a benchmark result (bench/results/<date>.json) as a Markdown table;
given two files, puts them side by side so a later run can be compared with an earlier one.
Usage: bench/summarize.py bench/results/A.json [bench/results/B.json]"""
import json
import sys


def figures(d):
    lat, mem, conv, rst, idle, thr = (d.get(k, {}) for k in
                                       ("latency", "memory", "convergence", "restart", "idle", "throughput"))
    rows = []

    def add(name, value, target=""):
        rows.append((name, value, target))

    for key, label in (("spec_patch", "Canary spec.weight patch"), ("rest_put", "REST PUT …/weight")):
        r = lat.get(key)
        if r:
            s, b = r["serin"], r["bare"]["patch_plus_watch_event"]
            add(f"{label} → VS event, p50 / p99 / max (ms)",
                f'{s["p50_ms"]} / {s["p99_ms"]} / {s["max_ms"]} (p99 target {r["target_p99_ms"]}: '
                f'{"met" if r["target_met"] else "MISSED"})', "p99 ≤ 2 × bare p99 + 20 ms")
            add(f"  bare patch + watch event beside it, p50 / p99 (ms)", f'{b["p50_ms"]} / {b["p99_ms"]}')
            add(f"  ratio Serin / bare, p50 / p99", f'{r["ratio_p50"]} / {r["ratio_p99"]}')
    if lat.get("bare_alone"):
        b = lat["bare_alone"]["patch_plus_watch_event"]
        add("bare patch + watch event alone, p50 / p99 (ms)", f'{b["p50_ms"]} / {b["p99_ms"]}')
    if conv:
        add("convergence: every VirtualService carries its weight (s)",
            f'{conv["every_virtualservice_carries_its_weight_s"]} for {conv["canaries"]}', "< 30 s for 1,000")
        add("  writes Serin made to converge", conv["serin_writes"])
    if rst:
        add("restart: caches synced / ready and idle (s)", f'{rst["caches_synced_s"]} / {rst["ready_and_idle_s"]}')
        add("restart: writes", rst["serin_writes"], "0")
    if idle:
        add("idle: writes", f'{idle["serin_writes"]} in {idle["ran_for_s"]} s', "0")
        add("idle: Serin reads per minute", idle["serin_reads_per_min"])
        add("idle: process CPU s per minute (whole JVM)", idle["process_cpu_s_per_min"])
    for n, m in mem.items():
        add(f"memory at {n} Canaries: heap / RSS (MB), Serin's share of heap",
            f'{m.get("heap_mb")} / {m.get("rss_mb")}, {m.get("serin_heap_mb")}', "heap < 256 MB at 1,000" if n != "0" else "")
    if thr:
        add("throughput sustained (weight changes/s)", thr.get("sustained_per_s"))
        for s in thr.get("steps", []):
            add(f'  {s["asked_per_s"]}/s: completed/s, p50 / p99 (ms)', f'{s["completed_per_s"]}, {s["serin"]["p50_ms"]} / {s["serin"]["p99_ms"]}')
    return rows


runs = [json.load(open(p)) for p in sys.argv[1:]]
if not runs:
    sys.exit(__doc__)
tables = [figures(d) for d in runs]
header = "| figure | " + " | ".join(sys.argv[1:]) + " | target |"
print(header)
print("|" + "---|" * (len(runs) + 2))
for i, (name, _, target) in enumerate(tables[0]):
    values = [str(t[i][1]) if i < len(t) and t[i][0] == name else "?" for t in tables]
    print(f"| {name} | " + " | ".join(values) + f" | {target} |")
