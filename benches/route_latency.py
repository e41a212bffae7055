#!/usr/bin/env python3
"""Server-side latency by route between two scrapes of the service's /metrics (Prometheus
text): the requests, their mean, and p50/p95/p99 read off the histogram's buckets (so each is
the bucket's upper bound: 1, 2.5, 5, 10, 25, 50, 100, 250 ms...). For benches/mix.sh.

    route_latency.py BEFORE.prom AFTER.prom

Standard library only. Prints a Markdown table, routes by request count."""
import re
import sys

LINE = re.compile(r'^camau_http_request_duration_seconds_(bucket|sum|count)\{(.*)\} (\S+)$')
LABEL = re.compile(r'(\w+)="([^"]*)"')


def scrape(path):
    series = {}
    for line in open(path, encoding="utf-8"):
        m = LINE.match(line.strip())
        if not m:
            continue
        kind, labels, value = m.group(1), dict(LABEL.findall(m.group(2))), float(m.group(3))
        key = (labels.get("method", ""), labels.get("route", ""))
        entry = series.setdefault(key, {"buckets": {}, "sum": 0.0, "count": 0.0})
        if kind == "bucket":
            le = labels["le"]
            entry["buckets"][float("inf") if le == "+Inf" else float(le)] = value
        else:
            entry[kind] = value
    return series


def quantile(buckets, count, q):
    for le in sorted(buckets):
        if buckets[le] >= q * count:
            return "> 5 s" if le == float("inf") else f"≤ {le * 1000:g} ms"
    return "?"


def main():
    before, after = scrape(sys.argv[1]), scrape(sys.argv[2])
    rows = []
    for key, a in after.items():
        b = before.get(key, {"buckets": {}, "sum": 0.0, "count": 0.0})
        count = a["count"] - b["count"]
        if count <= 0 or key[1] == "/metrics":
            continue
        buckets = {le: n - b["buckets"].get(le, 0.0) for le, n in a["buckets"].items()}
        mean = (a["sum"] - b["sum"]) / count * 1000
        rows.append((count, key, mean, [quantile(buckets, count, q) for q in (0.5, 0.95, 0.99)]))
    print("| route (server-side) | requests | mean | p50 | p95 | p99 |")
    print("|---|---|---|---|---|---|")
    for count, (method, route), mean, (p50, p95, p99) in sorted(rows, reverse=True):
        print(f"| {method} {route} | {count:.0f} | {mean:.1f} ms | {p50} | {p95} | {p99} |")


if __name__ == "__main__":
    main()
