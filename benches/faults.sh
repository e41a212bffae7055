#!/usr/bin/env bash
# Fault scenarios against the release build, with `camau demo-data` loaded into a private
# PostgreSQL cluster. A Python client (benches/faults.py, standard library only) drives the
# service from threads and records every request (start, duration, status, Retry-After, any
# connection error, and the id of every acknowledged write); this script injects the fault at a
# known time, then the client's report prints a results table and one PASS/FAIL line per target.
#
#   benches/faults.sh outage    steady reads + goal writes; the database is stopped
#                               (pg_ctl stop -m fast) for DOWN seconds, then started again.
#                               Targets: only 503 with Retry-After while it is down; no request
#                               longer than 5 s; steady success ≤ 10 s after it is back; every
#                               acknowledged write found in the database afterwards.
#   benches/faults.sh pool      a pool of POOL_SIZE (2) connections with a wait of
#                               POOL_TIMEOUT_MS (500), and POOL_CLIENTS (12) clients asking for
#                               the provider dashboard (~150 ms over 500 people) without pause.
#                               Targets: 503 with Retry-After within about the wait, nothing
#                               hangs, /health/live p99 ≤ 100 ms meanwhile.
#   benches/faults.sh s3        photos stored in a real S3-protocol server (moto_server from
#                               PyPI, in a venv under target/bench-tools): uploads and goal
#                               reads, then the S3 server is killed. Targets: uploads answer 503
#                               with Retry-After within 2 s; GET goals keeps 200 at the same p95.
#   benches/faults.sh sigterm   reads, trickled photo uploads and a 12 MP upload in flight,
#                               then SIGTERM. Targets: requests in flight complete, new
#                               connections are refused, the process exits (status 0) within
#                               its 30 s grace period (shutdown_timeout in src/app.rs).
#
# Environment: PEOPLE (500), SEED (1), CAMAU_BIN (a built binary; otherwise this tree is built
# with cargo), KEEP=1 (keep the work folder: records.jsonl, events.txt, server.log), and per
# scenario: WARM (5 s), DOWN (10 s), AFTER (15 s); POOL_SIZE, POOL_TIMEOUT_MS, POOL_CLIENTS,
# DURATION (10 s); S3_DURATION (20 s), KILL_AT (8 s); TERM_AT (2.4 s), STREAMS (live feed
# streams held open across the signal, 0).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg
source scripts/pg

scenario=${1:-}
case "$scenario" in
  outage | pool | s3 | sigterm) ;;
  *) echo "usage: benches/faults.sh outage|pool|s3|sigterm" >&2; exit 2 ;;
esac
people=${PEOPLE:-500}
seed=${SEED:-1}
fixtures=${FIXTURES:-tests/fixtures/images}

if [ -n "${CAMAU_BIN:-}" ]; then
  camau=$CAMAU_BIN
else
  cargo build --release --bin camau >&2
  camau=target/release/camau
fi

work=$(mktemp -d /tmp/camau-faults.XXXXXX)
chmod 755 "$work"
cluster='' server='' client='' s3=''
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  set +e
  local pid
  for pid in "$client" "$server" "$s3"; do
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  done
  if [ -n "$cluster" ]; then pg_stop "$cluster"; fi
  if [ -n "${KEEP:-}" ]; then echo "work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
# An event for the report: its name and the wall-clock time, as the client records requests.
event() { echo "$1 ${2:-$(date +%s.%N)}" >>"$work/events.txt"; }
: >"$work/events.txt"

cluster="$work/pg"
pg_dir_usable "$cluster"
port=$(pg_free_port)
pg_start "$cluster" "$port" benchpass
bin=$(pg_bindir)
"$bin/psql" "postgres://camau:benchpass@127.0.0.1:$port/postgres" -qc "CREATE DATABASE faults" >/dev/null
export DATABASE_URL="postgres://camau:benchpass@127.0.0.1:$port/faults"
CAMAU_JWT_KEYS="bench:$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
export CAMAU_JWT_KEYS
export CAMAU_STORAGE=local CAMAU_STORAGE_PATH="$work/storage" CAMAU_LOG_FORMAT=json RUST_LOG=warn
# The scenarios measure faults, not quotas: one account uploads hundreds of photos a minute.
export CAMAU_QUOTA_UPLOADS_PER_HOUR=1000000 CAMAU_QUOTA_COMMENTS_PER_MINUTE=1000000
api_port=$(pg_free_port)
export CAMAU_BIND="127.0.0.1:$api_port"
api="http://127.0.0.1:$api_port"

"$camau" migrate >/dev/null 2>&1
echo "loading demo data: $people people (seed $seed)..." >&2
"$camau" demo-data --people "$people" --seed "$seed" >"$work/demo.txt" 2>/dev/null
"$bin/psql" "$DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null
password=$(awk '/password:/ { print $2 }' "$work/demo.txt")
mentor="p0.mentor0@demo-$seed.camau.test"
admin="p0.admin@demo-$seed.camau.test"
provider=$(awk '/provider admin/ { print $NF }' "$work/demo.txt")

start_server() {
  "$camau" serve >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do
    if curl -fsS "$api/health/live" >/dev/null 2>&1; then return 0; fi
    kill -0 "$server" 2>/dev/null || break
    sleep 0.05
  done
  echo "the server did not start:" >&2
  tail -n 20 "$work/server.log" >&2
  exit 1
}
client_run() {
  python3 benches/faults.py run "$scenario" --api "$api" --password "$password" \
    --out "$work/records.jsonl" "$@"
}
result=0
report() {
  echo
  python3 benches/faults.py report "$scenario" "$work/records.jsonl" "$work/events.txt" "$@" || result=1
  echo
  python3 benches/faults.py logs "$work/server.log"
}

case "$scenario" in
  outage)
    warm=${WARM:-5} down=${DOWN:-10} after=${AFTER:-15}
    start_server
    echo "outage: steady load, the database stopped after ${warm} s for ${down} s, then ${after} s more" >&2
    client_run --email "$mentor" --duration $((warm + down + after + 2)) --readers 4 --writers 2 \
      --pause 0.02 &
    client=$!
    sleep "$warm"
    event stop
    pg_stop "$cluster"
    event stopped
    sleep "$down"
    pg_start "$cluster" "$port" benchpass
    event started
    wait "$client"
    client=''
    report --acked "$work/acked.txt"
    # Lost writes: every id the service acknowledged (201) must be in the database.
    counts=$("$bin/psql" "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 <<SQL
CREATE TEMP TABLE acked (id uuid);
\copy acked FROM '$work/acked.txt'
SELECT count(*) || ' ' || count(g.id) FROM acked a LEFT JOIN goals g ON g.id = a.id;
SQL
)
    read -r acked found <<<"$counts"
    echo
    echo "| acknowledged writes | found in the database | lost |"
    echo "|---|---|---|"
    echo "| $acked | $found | $((acked - found)) |"
    if [ "$acked" -gt 0 ] && [ "$found" -eq "$acked" ]; then
      echo "PASS: no acknowledged write lost ($found of $acked found)"
    else
      echo "FAIL: acknowledged writes lost: $((acked - found)) of $acked"
      result=1
    fi
    ;;
  pool)
    size=${POOL_SIZE:-2} wait_ms=${POOL_TIMEOUT_MS:-500}
    CAMAU_DB_POOL_SIZE=$size CAMAU_DB_POOL_TIMEOUT_MS=$wait_ms start_server
    echo "pool: $size connections, wait $wait_ms ms; ${POOL_CLIENTS:-12} clients on the dashboard for ${DURATION:-10} s" >&2
    client_run --email "$admin" --organisation "$provider" --clients "${POOL_CLIENTS:-12}" \
      --duration "${DURATION:-10}"
    report --pool-size "$size" --pool-timeout-ms "$wait_ms"
    ;;
  s3)
    venv=target/bench-tools/venv
    if [ ! -x "$venv/bin/moto_server" ]; then
      echo "installing moto[server] into $venv..." >&2
      python3 -m venv "$venv"
      "$venv/bin/pip" install -q 'moto[server]==5.2.5' >&2
    fi
    s3_port=$(pg_free_port)
    "$venv/bin/moto_server" -H 127.0.0.1 -p "$s3_port" >"$work/moto.log" 2>&1 &
    s3=$!
    for _ in $(seq 1 200); do
      curl -s -o /dev/null "http://127.0.0.1:$s3_port/" && break
      sleep 0.05
    done
    "$venv/bin/python" - "http://127.0.0.1:$s3_port" <<'PY'
import sys
import boto3
boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="bench",
             aws_secret_access_key="bench-secret").create_bucket(Bucket="camau-bench")
PY
    CAMAU_STORAGE=s3 CAMAU_S3_BUCKET=camau-bench CAMAU_S3_REGION=us-east-1 \
      CAMAU_S3_ENDPOINT="http://127.0.0.1:$s3_port" CAMAU_S3_ALLOW_HTTP=true \
      CAMAU_S3_ACCESS_KEY_ID=bench CAMAU_S3_SECRET_ACCESS_KEY=bench-secret start_server
    curl -fsS "$api/health/ready" >/dev/null
    duration=${S3_DURATION:-20} kill_at=${KILL_AT:-8}
    echo "s3: photo uploads (clean.jpg, $(stat -c %s "$fixtures/clean.jpg") bytes) and goal reads for ${duration} s; S3 killed at ${kill_at} s" >&2
    client_run --email "$mentor" --photo "$fixtures/clean.jpg" --duration "$duration" \
      --readers 2 --writers 2 --pause 0.05 &
    client=$!
    sleep "$kill_at"
    event kill
    kill -KILL "$s3"
    wait "$s3" 2>/dev/null || true
    s3=''
    wait "$client"
    client=''
    report
    ;;
  sigterm)
    start_server
    grace=30 term_at=${TERM_AT:-2.4}
    echo "sigterm: reads, 3 trickled uploads, a 12 MP upload and ${STREAMS:-0} live feed streams in flight; SIGTERM at ${term_at} s" >&2
    client_run --email "$mentor" --photo "$fixtures/clean.jpg" \
      --big-photo "$fixtures/phone-12mp-gps-orientation6.jpg" --duration 8 --readers 4 \
      --pause 0.01 --streams "${STREAMS:-0}" --grace "$grace" --ready "$work/ready" &
    client=$!
    until [ -f "$work/ready" ]; do sleep 0.01; done
    sleep "$term_at"
    event term
    kill -TERM "$server"
    for _ in $(seq 1 $(((grace + 10) * 20))); do
      kill -0 "$server" 2>/dev/null || break
      sleep 0.05
    done
    if kill -0 "$server" 2>/dev/null; then
      echo "the server was still running $((grace + 10)) s after SIGTERM: killed" >&2
      kill -KILL "$server"
    else
      event exit
    fi
    rc=0
    wait "$server" || rc=$?
    server=''
    event rc "$rc"
    wait "$client"
    client=''
    report --grace "$grace"
    ;;
esac
exit "$result"
