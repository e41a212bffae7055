#!/usr/bin/env python3
"""SSE delivery latency across instances: a stream open on instance B, stories written
through instance A, the time from sending each write to its event arriving on B.

    sse_latency.py API_A API_B TOKEN PERSON_ID [WRITES]

Standard library only. Prints each percentile in milliseconds."""
import http.client
import json
import sys
import time
import urllib.parse


def connection(base):
    url = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=10)


def main():
    api_a, api_b, token, person = sys.argv[1:5]
    writes = int(sys.argv[5]) if len(sys.argv) > 5 else 200
    auth = {"Authorization": f"Bearer {token}"}
    stream = connection(api_b)
    stream.request("GET", f"/v1/people/{person}/feed/stream",
                   headers={**auth, "Accept": "text/event-stream"})
    events = stream.getresponse()
    assert events.status == 200, events.status
    writer = connection(api_a)
    latencies = []
    for i in range(writes):
        body = json.dumps({"body": f"Latency story {i}", "audience": "circle"})
        sent = time.perf_counter()
        writer.request("POST", f"/v1/people/{person}/stories", body=body,
                       headers={**auth, "Content-Type": "application/json"})
        response = writer.getresponse()
        story = json.loads(response.read())
        assert response.status == 201, (response.status, story)
        # Read events until this story's arrives (heartbeats and others are skipped).
        while True:
            line = events.fp.readline()
            if not line:
                sys.exit("the stream closed")
            if line.startswith(b"data: ") and story["id"].encode() in line:
                latencies.append((time.perf_counter() - sent) * 1000)
                break
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print(f"{writes} stories written on A, received on B: "
          f"p50 {pick(0.50):.1f} ms, p90 {pick(0.90):.1f} ms, p99 {pick(0.99):.1f} ms, "
          f"max {latencies[-1]:.1f} ms")


if __name__ == "__main__":
    main()
