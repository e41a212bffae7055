#!/usr/bin/env python3
"""Load client and analysis for benches/faults.sh. Standard library only (Python 3.11).

    faults.py run SCENARIO --api URL --email E --password P --out RECORDS.jsonl [options]
    faults.py report SCENARIO RECORDS.jsonl EVENTS.txt [options]
    faults.py logs SERVER.log [--since EPOCH]

`run` signs in, finds people, then drives the service from threads, each with one keep-alive
connection (a new one after any failure), and writes one JSON line per request: its kind,
start and end (wall clock, seconds since the epoch, as `date +%s.%N` in the driving script),
duration, status, Retry-After, the exception if it failed without a status (`refused`,
`ConnectionResetError`, `RemoteDisconnected`, `timeout`...), whether it went over a connection
opened earlier (`reused`), and for an acknowledged (2xx) write the id the service returned.

`report` reads those records and the events the driving script wrote (lines "NAME EPOCH"),
prints a results table and one PASS/FAIL line per target, and exits 1 if any target failed.
`logs` groups the server's WARN/ERROR lines (JSON log format) by message, as evidence.
"""
import argparse
import http.client
import json
import os
import random
import re
import socket
import sys
import threading
import time
import urllib.parse

# --------------------------------------------------------------------------------------------
# Client


class Client:
    """One keep-alive HTTP/1.1 connection; a fresh one after any failure."""

    def __init__(self, api, timeout):
        url = urllib.parse.urlsplit(api)
        self.host, self.port, self.timeout = url.hostname, url.port, timeout
        self.conn = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def call(self, kind, method, path, body=None, headers=None, fresh=False, trickle=None):
        """Returns (record, parsed JSON body or None). `trickle` = (chunks, seconds): the body
        is sent in that many pieces spread over that long (a phone on a slow network)."""
        if fresh:
            self.close()
        rec = {"kind": kind, "start": time.time(), "status": None, "retry_after": None,
               "error": None, "reused": self.conn is not None}
        t0 = time.perf_counter()
        parsed = None
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                try:
                    self.conn.connect()
                except ConnectionRefusedError:
                    rec["error"] = "refused"
                    raise
            if trickle is None:
                self.conn.request(method, path, body=body, headers=headers or {})
            else:
                chunks, secs = trickle
                self.conn.putrequest(method, path)
                for name, value in (headers or {}).items():
                    self.conn.putheader(name, value)
                self.conn.putheader("Content-Length", str(len(body)))
                self.conn.endheaders()
                step = max(1, -(-len(body) // chunks))
                for i in range(0, len(body), step):
                    self.conn.send(body[i:i + step])
                    if i + step < len(body):
                        time.sleep(secs / chunks)
            response = self.conn.getresponse()
            data = response.read()
            rec["status"] = response.status
            rec["retry_after"] = response.getheader("Retry-After")
            if response.will_close:
                self.close()
            if data and (response.getheader("Content-Type") or "").endswith("json"):
                try:
                    parsed = json.loads(data)
                except ValueError:
                    pass
            if rec["status"] >= 500 and parsed is not None:
                rec["detail"] = parsed.get("detail") or parsed.get("title")
        except (OSError, http.client.HTTPException) as e:
            if rec["error"] is None:
                rec["error"] = "timeout" if isinstance(e, socket.timeout) else type(e).__name__
            self.close()
        rec["dur"] = time.perf_counter() - t0
        rec["end"] = rec["start"] + rec["dur"]
        return rec, parsed


def api_call(api, method, path, token=None, body=None):
    client = Client(api, 60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    rec, parsed = client.call("setup", method, path,
                              body=None if body is None else json.dumps(body), headers=headers)
    client.close()
    if rec["status"] is None or rec["status"] >= 300:
        sys.exit(f"setup: {method} {path}: {rec['status'] or rec['error']} {parsed}")
    return parsed


def sign_in(api, email, password):
    return api_call(api, "POST", "/v1/auth/login",
                    body={"email": email, "password": password})["tokens"]["access_token"]


def active_caseload(api, token):
    """The caller's caseload, without people whose support has ended (their records are
    read-only: a write gets 409)."""
    people, cursor = [], None
    while True:
        page = api_call(api, "GET", "/v1/me/caseload?limit=100"
                        + (f"&cursor={cursor}" if cursor else ""), token)
        people += [p["id"] for p in page["items"]
                   if not (p.get("details") or {}).get("support_ended_on")]
        cursor = page.get("next_cursor")
        if not cursor:
            return people


# --------------------------------------------------------------------------------------------
# Load


class Load:
    def __init__(self, args):
        self.args = args
        self.records = []
        self.lock = threading.Lock()
        self.deadline = None

    def keep(self, rec):
        with self.lock:
            self.records.append(rec)

    def loop(self, body, pause):
        """Runs body(client, n) until the deadline, with `pause` seconds between requests."""
        def run():
            client = Client(self.args.api, self.args.timeout)
            n = 0
            while time.time() < self.deadline:
                body(client, n)
                n += 1
                if pause:
                    time.sleep(pause * random.uniform(0.5, 1.5))
            client.close()
        return threading.Thread(target=run, daemon=True)

    def at(self, offset, body):
        """Runs body(client) once, `offset` seconds after the load starts."""
        def run():
            time.sleep(max(0.0, self.deadline - self.args.duration + offset - time.time()))
            client = Client(self.args.api, self.args.timeout)
            body(client)
            client.close()
        return threading.Thread(target=run, daemon=True)

    def start(self, threads):
        self.deadline = time.time() + self.args.duration
        if self.args.ready:
            with open(self.args.ready, "w") as f:
                f.write(f"{time.time():.6f}\n")
        for t in threads:
            t.start()
        for t in threads:
            t.join(self.args.duration + self.args.timeout + 60)

    def write(self):
        with open(self.args.out, "w") as f:
            for rec in sorted(self.records, key=lambda r: r["start"]):
                f.write(json.dumps(rec) + "\n")


def auth(token, content_type=None):
    headers = {"Authorization": f"Bearer {token}"}
    if content_type:
        headers["Content-Type"] = content_type
    return headers


def reader(load, token, people, kinds=("goals", "feed")):
    def body(client, n):
        kind = kinds[n % len(kinds)]
        rec, _ = client.call(kind, "GET", f"/v1/people/{random.choice(people)}/{kind}",
                             headers=auth(token))
        load.keep(rec)
    return body


def goal_writer(load, token, people, name):
    def body(client, n):
        person = random.choice(people)
        rec, parsed = client.call(
            "write", "POST", f"/v1/people/{person}/goals",
            body=json.dumps({"title": f"Fault bench goal {name}-{n}"}),
            headers=auth(token, "application/json"))
        if rec["status"] is not None and 200 <= rec["status"] < 300 and parsed:
            rec["id"] = parsed.get("id")
        load.keep(rec)
    return body


def new_story(client, token, person):
    rec, parsed = client.call("story", "POST", f"/v1/people/{person}/stories",
                              body=json.dumps({"body": "A day out, with photos",
                                               "audience": "circle"}),
                              headers=auth(token, "application/json"))
    return rec, (parsed or {}).get("id") if rec["status"] == 201 else None


def run(args):
    random.seed()
    token = sign_in(args.api, args.email, args.password)
    people = active_caseload(args.api, token) if args.scenario != "pool" else []
    if args.scenario != "pool" and not people:
        sys.exit("no active people in the caseload")
    load = Load(args)
    threads = []
    if args.scenario == "outage":
        threads += [load.loop(reader(load, token, people), args.pause) for _ in range(args.readers)]
        threads += [load.loop(goal_writer(load, token, people, i), args.pause)
                    for i in range(args.writers)]
    elif args.scenario == "pool":
        path = f"/v1/organisations/{args.organisation}/dashboard"

        def dashboard(client, n):
            rec, _ = client.call("dashboard", "GET", path, headers=auth(token))
            load.keep(rec)

        def live(client, n):
            rec, _ = client.call("live", "GET", "/health/live")
            load.keep(rec)

        # Liveness with the pool idle first, for comparison.
        idle = Client(args.api, args.timeout)
        for _ in range(40):
            rec, _ = idle.call("live-idle", "GET", "/health/live")
            load.keep(rec)
            time.sleep(0.02)
        idle.close()
        threads += [load.loop(dashboard, 0) for _ in range(args.clients)]
        threads.append(load.loop(live, 0.05))
    elif args.scenario == "s3":
        photo = open(args.photo, "rb").read()
        person = people[0]

        # Each uploader thread keeps its own story (a story holds at most 10 photos).
        def make_uploader():
            local = {}

            def body(client, n):
                if n % 10 == 0:
                    rec, local["story"] = new_story(client, token, person)
                    load.keep(rec)
                if local.get("story"):
                    rec, _ = client.call("upload", "POST", f"/v1/stories/{local['story']}/photos",
                                         body=photo, headers=auth(token, "image/jpeg"))
                    load.keep(rec)
            return body

        threads += [load.loop(make_uploader(), args.pause) for _ in range(args.writers)]
        threads += [load.loop(reader(load, token, people, ("goals",)), args.pause)
                    for _ in range(args.readers)]
    elif args.scenario == "sigterm":
        photo = open(args.photo, "rb").read()
        big = open(args.big_photo, "rb").read() if args.big_photo else None

        def probe(client, n):
            # A new connection every time: whether the server still accepts.
            rec, _ = client.call("new-connection", "GET", "/health/live", fresh=True)
            load.keep(rec)

        def slow_upload(client):
            rec, story = new_story(client, token, people[0])
            load.keep(rec)
            rec, _ = client.call("slow-upload", "POST", f"/v1/stories/{story}/photos", body=photo,
                                 headers=auth(token, "image/jpeg"),
                                 trickle=(args.slow_chunks, args.slow_secs))
            load.keep(rec)

        def big_upload(client):
            rec, story = new_story(client, token, people[0])
            load.keep(rec)
            time.sleep(max(0.0, args.big_at - args.slow_at - rec["dur"]))
            rec, _ = client.call("big-upload", "POST", f"/v1/stories/{story}/photos", body=big,
                                 headers=auth(token, "image/jpeg"))
            load.keep(rec)

        def stream(client):
            # A live feed held open, as the app does: when (and how) does the server end it?
            rec = {"kind": "stream", "start": time.time(), "status": None, "retry_after": None,
                   "error": None, "reused": False, "events": 0}
            t0 = time.perf_counter()
            try:
                # A raw socket: a buffered HTTP response cannot be read again after a timeout.
                sock = socket.create_connection((client.host, client.port), timeout=10)
                sock.sendall((f"GET /v1/people/{people[0]}/feed/stream HTTP/1.1\r\n"
                              f"Host: {client.host}:{client.port}\r\n"
                              f"Authorization: Bearer {token}\r\n"
                              "Accept: text/event-stream\r\n\r\n").encode())
                sock.settimeout(0.5)
                received = b""
                until = time.time() + args.duration + args.grace + 10
                while time.time() < until:
                    try:
                        data = sock.recv(4096)
                    except socket.timeout:
                        continue
                    if not data:
                        rec["error"] = "closed"
                        break
                    received += data
                    if rec["status"] is None and b"\r\n" in received:
                        rec["status"] = int(received.split(b" ", 2)[1])
                    rec["events"] = received.count(b"\n\n") - 1
                else:
                    rec["error"] = "still open"
                sock.close()
            except (OSError, ValueError) as e:
                rec["error"] = type(e).__name__
            rec["dur"] = time.perf_counter() - t0
            rec["end"] = rec["start"] + rec["dur"]
            load.keep(rec)

        threads += [load.loop(reader(load, token, people), args.pause) for _ in range(args.readers)]
        threads.append(load.loop(probe, 0.05))
        threads += [load.at(0.2, stream) for _ in range(args.streams)]
        threads += [load.at(args.slow_at, slow_upload) for _ in range(args.slow)]
        if big:
            threads.append(load.at(args.slow_at, big_upload))
    else:
        sys.exit(f"unknown scenario {args.scenario}")
    load.start(threads)
    load.write()
    print(f"{len(load.records)} requests recorded", file=sys.stderr)


# --------------------------------------------------------------------------------------------
# Report


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))]


def ms(seconds):
    return "-" if seconds != seconds else f"{seconds * 1000:.0f} ms"


def ok(rec):
    return rec["status"] is not None and 200 <= rec["status"] < 300


def outcome(rec):
    if rec["status"] is None:
        return rec["error"]
    if rec["status"] == 503:
        return "503 with Retry-After" if rec["retry_after"] else "503 without Retry-After"
    return str(rec["status"])


def outcomes(recs):
    counts = {}
    for r in recs:
        counts[outcome(r)] = counts.get(outcome(r), 0) + 1
    return ", ".join(f"{k} × {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])) or "none"


class Verdicts:
    def __init__(self):
        self.failed = 0

    def __call__(self, passed, text):
        print(f"{'PASS' if passed else 'FAIL'}: {text}")
        self.failed += 0 if passed else 1


def table(rows):
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for row in rows[1:]:
        print("| " + " | ".join(str(c) for c in row) + " |")


def report(args):
    recs = [json.loads(line) for line in open(args.records)]
    events = {}
    for line in open(args.events):
        parts = line.split()
        if len(parts) == 2:
            events[parts[0]] = float(parts[1])
    verdict = Verdicts()
    if args.scenario == "outage":
        report_outage(args, recs, events, verdict)
    elif args.scenario == "pool":
        report_pool(args, recs, events, verdict)
    elif args.scenario == "s3":
        report_s3(args, recs, events, verdict)
    elif args.scenario == "sigterm":
        report_sigterm(args, recs, events, verdict)
    sys.exit(1 if verdict.failed else 0)


def report_outage(args, recs, events, verdict):
    stop, stopped, back = events["stop"], events["stopped"], events["started"]
    before = [r for r in recs if r["end"] < stop]
    during = [r for r in recs if r["end"] >= stop and r["start"] <= back]
    after = [r for r in recs if r["start"] > back]
    writes = [r for r in recs if r["kind"] == "write" and ok(r) and r.get("id")]
    with open(args.acked, "w") as f:
        f.write("".join(f"{r['id']}\n" for r in writes))
    first_ok = next((r for r in after if ok(r)), None)
    # Steady: from the first request after which every request succeeded to the end of the run.
    steady = None
    for r in reversed(after):
        if not ok(r):
            break
        steady = r
    tail = (after[-1]["start"] - steady["start"]) if steady and after else 0
    rows = [["phase", "window", "requests", "outcomes", "p50", "max"]]
    for name, window, group in [
        ("before", f"until the stop ({ms(stop - recs[0]['start'])})", before),
        ("outage", f"stop → up again: {stopped - stop:.1f} s to stop, {back - stop:.1f} s down",
         during),
        ("after", f"{after[-1]['end'] - back:.1f} s" if after else "-", after),
    ]:
        durs = [r["dur"] for r in group]
        rows.append([name, window, len(group), outcomes(group), ms(pct(durs, 50)),
                     ms(max(durs) if durs else float("nan"))])
    table(rows)
    bad = [r for r in during if not ok(r) and outcome(r) != "503 with Retry-After"]
    print()
    print(f"first success after the database was back: "
          f"{ms(first_ok['end'] - back) if first_ok else 'never'}; "
          f"steady (every request from then on succeeded, {tail:.1f} s of them): "
          f"{ms(steady['start'] - back) if steady else 'never'}")
    if after:
        recovering = [r for r in after if steady is None or r["start"] < steady["start"]]
        print(f"after the database was back, before steady: {outcomes(recovering)}")
    print(f"acknowledged writes: {len(writes)} (ids in {os.path.basename(args.acked)})")
    if bad:
        print("outage answers other than 503 with Retry-After (first 5):")
        for r in bad[:5]:
            print(f"  {r['kind']} at stop{r['start'] - stop:+.3f} s, {ms(r['dur'])}: "
                  f"{outcome(r)} {r.get('detail') or ''}")
    print()
    verdict(not bad, f"during the outage only 503 with Retry-After (or success): "
                     f"{len(bad)} of {len(during)} answers were something else")
    longest = max((r["dur"] for r in during), default=0)
    verdict(longest <= args.max_outage_request,
            f"longest request during the outage {ms(longest)} (target ≤ {args.max_outage_request:g} s)")
    verdict(first_ok is not None and steady is not None and tail >= 2
            and steady["start"] - back <= args.max_recovery,
            f"steady success {ms(steady['start'] - back) if steady else 'never'} after the "
            f"database was back (target ≤ {args.max_recovery:g} s)")


def report_pool(args, recs, events, verdict):
    timeout = args.pool_timeout_ms / 1000
    dash = [r for r in recs if r["kind"] == "dashboard"]
    idle = [r for r in recs if r["kind"] == "live-idle"]
    live = [r for r in recs if r["kind"] == "live"]
    busy = [r for r in dash if r["status"] == 503]
    served = [r for r in dash if ok(r)]
    rows = [["requests", "count", "outcomes", "p50", "p95", "max"]]
    for name, group in [("dashboard: all", dash), ("dashboard: 200", served),
                        ("dashboard: 503", busy), ("/health/live, pool idle (before)", idle),
                        ("/health/live, pool exhausted", live)]:
        durs = [r["dur"] for r in group]
        rows.append([name, len(group), outcomes(group), ms(pct(durs, 50)), ms(pct(durs, 95)),
                     ms(max(durs) if durs else float("nan"))])
    table(rows)
    secs = (max(r["end"] for r in dash) - min(r["start"] for r in dash)) if dash else 1
    print(f"\n{len(served) / secs:.1f} dashboards/s served, {len(busy) / secs:.1f}/s refused, "
          f"with a pool of {args.pool_size} and a wait of {args.pool_timeout_ms} ms")
    other = [r for r in dash if not ok(r) and r["status"] != 503]
    print()
    verdict(len(busy) > 0, f"requests beyond the pool were refused with 503: {len(busy)} of {len(dash)}")
    verdict(all(r["retry_after"] for r in busy),
            f"every 503 carries Retry-After: {sum(1 for r in busy if r['retry_after'])} of {len(busy)}")
    slowest_busy = max((r["dur"] for r in busy), default=0)
    verdict(slowest_busy <= timeout * 1.5 + 0.1,
            f"503 within about the pool wait ({args.pool_timeout_ms} ms): slowest {ms(slowest_busy)} "
            f"(target ≤ {timeout * 1.5 + 0.1:.2f} s)")
    verdict(not other, f"no other failures: {outcomes(other) if other else 'none'}")
    slowest = max((r["dur"] for r in dash), default=0)
    verdict(slowest <= args.max_request, f"nothing hung: slowest request {ms(slowest)} (target ≤ {args.max_request:g} s)")
    live_durs = [r["dur"] for r in live]
    live_bad = [r for r in live if not ok(r)]
    verdict(not live_bad and pct(live_durs, 99) <= args.max_live,
            f"/health/live stayed responsive: p99 {ms(pct(live_durs, 99))}, max {ms(max(live_durs))}, "
            f"{len(live_bad)} failed (target p99 ≤ {args.max_live * 1000:.0f} ms)")


def report_s3(args, recs, events, verdict):
    kill = events["kill"]
    rows = [["requests", "phase", "count", "outcomes", "p50", "p95", "max"]]
    groups = {}
    for kind in ("upload", "goals", "story"):
        mine = [r for r in recs if r["kind"] == kind]
        groups[kind] = {
            "before": [r for r in mine if r["end"] < kill],
            "in flight": [r for r in mine if r["start"] < kill <= r["end"]],
            "after": [r for r in mine if r["start"] >= kill],
        }
        for phase, group in groups[kind].items():
            if not group and phase == "in flight":
                continue
            durs = [r["dur"] for r in group]
            rows.append([{"upload": "photo upload", "goals": "GET goals",
                          "story": "POST story (database only)"}[kind], phase, len(group),
                         outcomes(group), ms(pct(durs, 50)), ms(pct(durs, 95)),
                         ms(max(durs) if durs else float("nan"))])
    table(rows)
    print()
    up_before, up_after = groups["upload"]["before"], groups["upload"]["after"]
    verdict(len(up_before) > 0 and all(ok(r) for r in up_before),
            f"uploads worked before the kill: {outcomes(up_before)}")
    refused = [r for r in up_after if r["status"] == 503 and r["retry_after"]]
    verdict(len(up_after) > 0 and len(refused) == len(up_after),
            f"after the kill every upload answered 503 with Retry-After: {outcomes(up_after)}")
    slowest = max((r["dur"] for r in up_after), default=float("nan"))
    verdict(slowest <= args.max_s3_failure,
            f"and quickly: slowest {ms(slowest)} (target ≤ {args.max_s3_failure:g} s)")
    g_before, g_after = groups["goals"]["before"], groups["goals"]["after"]
    verdict(all(ok(r) for r in g_before + g_after) and g_after,
            f"GET goals kept answering 200: after the kill {outcomes(g_after)}")
    b95, a95 = pct([r["dur"] for r in g_before], 95), pct([r["dur"] for r in g_after], 95)
    verdict(a95 <= 2 * b95 + 0.010,
            f"GET goals latency unchanged: p95 {ms(b95)} before, {ms(a95)} after "
            f"(target ≤ 2 × before + 10 ms)")


def report_sigterm(args, recs, events, verdict):
    term = events["term"]
    exited = events.get("exit")
    streams = [r for r in recs if r["kind"] == "stream"]
    recs = [r for r in recs if r["kind"] != "stream"]
    in_flight = [r for r in recs if r["start"] < term and r["end"] >= term
                 and r["kind"] != "new-connection"]
    failed_before = [r for r in recs if r["start"] < term and not ok(r)
                     and r["kind"] != "new-connection"]
    later = [r for r in recs if r["start"] >= term and r["kind"] != "new-connection"]
    probes = [r for r in recs if r["kind"] == "new-connection"]
    probes_after = [r for r in probes if r["start"] >= term]
    accepted_after = [r for r in probes_after if r["error"] != "refused"]
    rows = [["requests", "count", "outcomes", "p50", "max"]]
    for name, group in [
        ("in flight at SIGTERM (started before, answered after)", in_flight),
        ("  of them slow uploads (body trickled)", [r for r in in_flight if r["kind"] == "slow-upload"]),
        ("  of them the 12 MP upload", [r for r in in_flight if r["kind"] == "big-upload"]),
        ("started after SIGTERM on an open keep-alive connection", [r for r in later if r["reused"]]),
        ("started after SIGTERM on a new connection (readers)", [r for r in later if not r["reused"]]),
        ("new-connection probes after SIGTERM", probes_after),
    ]:
        durs = [r["dur"] for r in group]
        rows.append([name, len(group), outcomes(group), ms(pct(durs, 50)),
                     ms(max(durs) if durs else float("nan"))])
    table(rows)
    first_refused = next((r for r in probes_after if r["error"] == "refused"), None)
    last_accepted = accepted_after[-1] if accepted_after else None
    print()
    print(f"first refused new connection: "
          f"{'+' + ms(first_refused['start'] - term) if first_refused else 'none'}; "
          f"last accepted: {'+' + ms(last_accepted['start'] - term) if last_accepted else 'none'}")
    last_answer = max((r["end"] for r in recs if r["start"] >= term and ok(r)), default=None)
    if last_answer:
        print(f"last request answered after SIGTERM: +{ms(last_answer - term)}")
    for r in streams:
        print(f"live feed stream opened at term{r['start'] - term:+.1f} s (status {r['status']}, "
              f"{r['events']} events): {r['error']} at +{ms(r['end'] - term)}")
    rc = "?" if events.get("rc") is None else str(int(events["rc"]))
    print(f"server exit: {('+' + ms(exited - term)) if exited else 'not within the wait'}, "
          f"status {rc}")
    if failed_before:
        print("failed requests started before SIGTERM (first 5):")
        for r in failed_before[:5]:
            print(f"  {r['kind']} at term{r['start'] - term:+.3f} s, {ms(r['dur'])}: {outcome(r)}")
    print()
    slow = [r for r in in_flight if r["kind"] in ("slow-upload", "big-upload")]
    verdict(len(slow) > 0, f"slow requests were in flight at the signal: {len(slow)}")
    verdict(not failed_before, f"every request started before SIGTERM completed: "
                               f"{len(failed_before)} failed ({outcomes(failed_before) if failed_before else 'none'})")
    late = [r for r in accepted_after if r["start"] >= term + args.accept_grace]
    verdict(first_refused is not None and not late,
            f"new connections refused after the signal: {outcomes(probes_after)}; accepted more than "
            f"{args.accept_grace * 1000:.0f} ms after it: {len(late)}")
    # The forced stop at the end of the grace period takes a moment itself: 1 s of slack.
    verdict(exited is not None and exited - term <= args.grace + 1,
            f"the process exited within its grace period: "
            f"{('+' + ms(exited - term)) if exited else 'no'} (grace {args.grace:g} s)")
    if streams:
        # An open live stream never finishes by itself: unless the server ends it, it holds
        # the shutdown (and the deploy) for the whole grace period.
        latest = max(r["end"] for r in streams)
        verdict(all(r["error"] == "closed" for r in streams) and latest - term <= args.stream_close,
                f"live streams ended promptly by the server: last at +{ms(latest - term)} "
                f"(target ≤ {args.stream_close:g} s)")
    verdict(rc == "0", f"exit status {rc}")


# --------------------------------------------------------------------------------------------
# Logs


def logs(args):
    groups = {}
    for line in open(args.log, errors="replace"):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("level") not in ("WARN", "ERROR"):
            continue
        fields = entry.get("fields", entry)
        message = fields.get("message", "")
        # Ids, durations and ports differ on every line: grouped without them.
        error = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4,12}", "<id>",
                       str(fields.get("error", "")))
        error = re.sub(r"\b\d+(\.\d+)?(ms|s|µs)\b", "<t>", error)
        error = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<port>", error)[:140]
        key = (entry.get("level"), message, error)
        groups.setdefault(key, [0, entry.get("timestamp", "")])[0] += 1
    if not groups:
        print("server log: no warnings or errors")
        return
    print("server log, warnings and errors by message:")
    for (level, message, error), (count, first) in sorted(groups.items(), key=lambda kv: kv[1][1]):
        print(f"  {count:6d} × {level} {message}{': ' + error if error else ''} (first {first})")


# --------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("scenario")
    r.add_argument("--api", required=True)
    r.add_argument("--email", required=True)
    r.add_argument("--password", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--ready", help="a file written when the load starts")
    r.add_argument("--duration", type=float, default=30)
    r.add_argument("--timeout", type=float, default=60, help="per request, seconds")
    r.add_argument("--readers", type=int, default=4)
    r.add_argument("--writers", type=int, default=2)
    r.add_argument("--pause", type=float, default=0.02)
    r.add_argument("--clients", type=int, default=12, help="pool: concurrent dashboards")
    r.add_argument("--organisation")
    r.add_argument("--photo")
    r.add_argument("--big-photo")
    r.add_argument("--slow", type=int, default=3, help="sigterm: trickled uploads")
    r.add_argument("--slow-at", type=float, default=1.0)
    r.add_argument("--slow-secs", type=float, default=3.0)
    r.add_argument("--slow-chunks", type=int, default=12)
    r.add_argument("--big-at", type=float, default=2.2)
    r.add_argument("--streams", type=int, default=0, help="sigterm: live feeds held open")
    r.add_argument("--grace", type=float, default=30.0)
    p = sub.add_parser("report")
    p.add_argument("scenario")
    p.add_argument("records")
    p.add_argument("events")
    p.add_argument("--acked", default="acked.txt")
    p.add_argument("--max-outage-request", type=float, default=5.0)
    p.add_argument("--max-recovery", type=float, default=10.0)
    p.add_argument("--pool-size", type=int, default=2)
    p.add_argument("--pool-timeout-ms", type=int, default=500)
    p.add_argument("--max-request", type=float, default=10.0)
    p.add_argument("--max-live", type=float, default=0.1)
    p.add_argument("--max-s3-failure", type=float, default=2.0)
    p.add_argument("--grace", type=float, default=30.0)
    p.add_argument("--accept-grace", type=float, default=0.2)
    p.add_argument("--stream-close", type=float, default=5.0)
    lg = sub.add_parser("logs")
    lg.add_argument("log")
    args = parser.parse_args()
    {"run": run, "report": report, "logs": logs}[args.command](args)


if __name__ == "__main__":
    main()
