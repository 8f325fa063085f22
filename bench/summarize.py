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
    for key, label in (("spec_patch", "Canary patch"), ("rest_put", "REST PUT")):
        r = lat.get(key)
        if r and r.get("serin_writes_per_change"):
            add(f"  Serin's writes per weight change ({label}), {KIND_LABEL}", per_kind(r["serin_writes_per_change"]))
        if r and r.get("queue_depth"):
            q = r["queue_depth"]
            add(f"  work queue during {label}: empty / p99 / max", f'{pct(q["empty_fraction"])} / {q["p99"]} / {q["max"]}')
        if r:
            bound(add, label, r.get("what_bounds_it"))
    if conv:
        add("convergence: every VirtualService carries its weight (s)",
            f'{conv["every_virtualservice_carries_its_weight_s"]} for {conv["canaries"]} (idle at {conv["idle_s"]})',
            "bounded by the API server")
        add("  writes Serin made to converge", conv["serin_writes"])
        if conv.get("serin_writes_per_canary"):
            add(f"  Serin's writes per Canary, {KIND_LABEL}", per_kind(conv["serin_writes_per_canary"]), "≤ 8")
        if conv.get("serin_jvm_cpu_s_per_1000") is not None:
            add("  CPU s per 1,000 Canaries: Serin's JVM / its serin-* threads / the API server",
                f'{conv["serin_jvm_cpu_s_per_1000"]} / {conv["serin_threads_cpu_s_per_1000"]} / '
                f'{conv["apiserver_cpu_s_per_1000"]}')
            add("  share of one core over the convergence: Serin's JVM / the API server",
                f'{conv["serin_jvm_cpu_share_of_wall"]} / {conv["apiserver_cpu_share_of_wall"]}')
        if conv.get("queue_depth"):
            q = conv["queue_depth"]
            add("  work queue during convergence: empty / p50 / p99 / max",
                f'{pct(q["empty_fraction"])} / {q["p50"]} / {q["p99"]} / {q["max"]}')
        bound(add, "convergence", conv.get("what_bounds_it"))
    arr = d.get("arrivals")
    if arr:
        c = arr["create_to_weight"]
        add("Canaries arriving one by one while Serin runs: how many at what rate; create → VS carries weight, "
            "p50 / p99 / max (ms)", f'{arr["canaries"]} at {arr["created_per_s"]}/s; '
            f'{c["p50_ms"]} / {c["p99_ms"]} / {c["max_ms"]}')
        q = arr["queue_depth"]
        add("  work queue during arrivals: empty / p50 / p99 / max",
            f'{pct(q["empty_fraction"])} / {q["p50"]} / {q["p99"]} / {q["max"]}', "empty most of the time")
        if arr.get("serin_writes_per_canary"):
            add(f"  Serin's writes per arriving Canary, {KIND_LABEL}", per_kind(arr["serin_writes_per_canary"]))
        bound(add, "arrivals", arr.get("what_bounds_it"))
    if rst:
        add("restart: caches synced / ready and idle (s)", f'{rst["caches_synced_s"]} / {rst["ready_and_idle_s"]}')
        if rst.get("stop_s") is not None:
            add("restart: Controller.stop() (losing leadership; forgets every Canary's metrics) (s)", rst["stop_s"])
        add("restart: writes", rst["serin_writes"], "0")
    if idle:
        add("idle: writes", f'{idle["serin_writes"]} in {idle["ran_for_s"]} s', "0")
    rs = d.get("resync")
    if rs:
        add("forced resync (every Canary reconciled again): writes; idle again after (s)",
            f'{rs["serin_writes"]}; {rs["idle_again_s"]}', "0")
        bound(add, "resync", rs.get("what_bounds_it"))
        add("idle: Serin reads per minute", idle["serin_reads_per_min"])
        add("idle: process CPU s per minute (whole JVM)", idle["process_cpu_s_per_min"])
    for n, m in mem.items():
        add(f"memory at {n} Canaries: heap / RSS (MB), Serin's share of heap",
            f'{m.get("heap_mb")} / {m.get("rss_mb")}, {m.get("serin_heap_mb")}', "heap < 512 MB" if n != "0" else "")
        if m.get("apiserver_heap_mb") is not None:
            add(f"  API server process at {n}: heap / RSS (MB), objects",
                f'{m["apiserver_heap_mb"]} / {m["apiserver_rss_mb"]}, {m["apiserver_objects"]}')
    if thr:
        add("throughput sustained (weight changes/s)", thr.get("sustained_per_s"))
        for s in thr.get("steps", []):
            add(f'  {s["asked_per_s"]}/s: completed/s, p50 / p99 (ms)', f'{s["completed_per_s"]}, {s["serin"]["p50_ms"]} / {s["serin"]["p99_ms"]}')
    return rows


def bound(add, label, b):
    """What bounded a phase: the API server's busy share, Serin's workers' waiting, the benchmark JVM's GC."""
    if not b:
        return
    a = b["apiserver"]
    add(f"  {label}: API server busy share of wall time / mean service per request (ms) / requests",
        f'{pct(a["busy_share"])} / {a["service_mean_ms"]} / {a["served"]}')
    w = b.get("serin_workers")
    if w:
        add(f"  {label}: Serin's workers busy on average / share of a reconcile not on CPU (waiting)",
            f'{w["busy_workers_mean"]} / {pct(w["waiting_share"])}')
    gcs = b.get("gc", {})
    add(f"  {label}: benchmark JVM GC collections / ms / longest pause (ms)",
        f'{sum(g["count"] for g in gcs.values())} / {sum(g["ms"] for g in gcs.values())} / {b["gc_longest_pause_ms"]}')


KIND_LABEL = "finalizer / DR / VS / Deployment / status / Events / other = total"


def per_kind(m):
    keys = ("canary_finalizer_or_spec", "destinationrule", "virtualservice", "deployment", "canary_status", "event", "other")
    return " / ".join(str(m.get(k)) for k in keys) + f' = {m.get("total")}'


def pct(f):
    return f"{round(f * 100)} %" if isinstance(f, (int, float)) else str(f)


runs = [json.load(open(p)) for p in sys.argv[1:]]
if not runs:
    sys.exit(__doc__)
tables = [figures(d) for d in runs]
header = "| figure | " + " | ".join(sys.argv[1:]) + " | target |"
print(header)
print("|" + "---|" * (len(runs) + 2))
# rows matched by name (and which occurrence of it), so a figure only a newer run has does not shift the others
def keyed(t):
    seen, rows = {}, []
    for name, value, target in t:
        seen[name] = seen.get(name, 0) + 1
        rows.append(((name, seen[name]), value, target))
    return rows


keys, targets = [], {}
for t in sorted(map(keyed, tables), key=len, reverse=True):  # the fullest run's order first
    for key, _, target in t:
        if key not in targets:
            keys.append(key)
            targets[key] = target
values = [{key: value for key, value, _ in keyed(t)} for t in tables]
for key in keys:
    print(f"| {key[0]} | " + " | ".join(str(v.get(key, "?")) for v in values) + f" | {targets[key]} |")
