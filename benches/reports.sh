#!/usr/bin/env bash
# The reporting path at scale: loads `camau demo-data` (PEOPLE, default 100000; SEED, default 1)
# into a fresh database of a private cluster, then times, against the release build, sequential
# requests of:
#   - a commissioner's year report (all contracted providers), without and with every breakdown
#   - a provider's dashboard (its admin: the whole organisation) and a mentor's (their caseload)
# and prints the load time, p50 and p99 of each (RUNS, default 30, after one warm-up request).
#
#   benches/reports.sh
#   PEOPLE=10000 RUNS=20 benches/reports.sh
#   CAMAU_BIN=target/release/camau BEFORE_BIN=/tmp/camau-before BEFORE_RUNS=5 benches/reports.sh
#
# With BEFORE_BIN, the same requests are timed against that binary first, on the same loaded
# database (one sitting: before and after on the same data and machine). The database is
# migrated and loaded by CAMAU_BIN, so BEFORE_BIN must accept its schema (extra tables are
# fine: migrations only add).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg
source scripts/pg
people=${PEOPLE:-100000}
seed=${SEED:-1}
runs=${RUNS:-30}
# The before binary may be far slower (19 s a report before issue 20): fewer runs of it.
before_runs=${BEFORE_RUNS:-$runs}

if [ -z "${CAMAU_BIN:-}" ]; then cargo build --release --bin camau >&2; fi
camau=${CAMAU_BIN:-target/release/camau}
before=${BEFORE_BIN:-}
work=$(mktemp -d /tmp/camau-reports.XXXXXX)
chmod 755 "$work"
cluster= server=
cleanup() {
  [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "$cluster" ] && pg_stop "$cluster"
  rm -rf "$work"
}
trap cleanup EXIT

cluster="$work/pg"
pg_dir_usable "$cluster"
port=$(pg_free_port)
pg_start "$cluster" "$port" benchpass
export DATABASE_URL="postgres://camau:benchpass@127.0.0.1:$port/postgres"
"$(pg_bindir)/psql" "$DATABASE_URL" -qc "CREATE DATABASE reports" >/dev/null
export DATABASE_URL="${DATABASE_URL%/*}/reports"
export CAMAU_JWT_KEYS="bench:$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
export CAMAU_STORAGE=local CAMAU_STORAGE_PATH="$work/storage" CAMAU_LOG_FORMAT=json RUST_LOG=warn
# Timed requests are many more than an account's daily reports.
export CAMAU_QUOTA_REPORTS_PER_DAY=100000
api_port=$(pg_free_port)
export CAMAU_BIND="127.0.0.1:$api_port"
api="http://127.0.0.1:$api_port"

"$camau" migrate
started=$(date +%s%N)
"$camau" demo-data --people "$people" --seed "$seed" >"$work/demo.txt"
load_s=$(( ($(date +%s%N) - started) / 1000000000 ))
"$(pg_bindir)/psql" "$DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null
counts=$("$(pg_bindir)/psql" "$DATABASE_URL" -Atc "SELECT (SELECT count(*) FROM people) || ' people, ' || \
  (SELECT count(*) FROM goals) || ' goals, ' || (SELECT count(*) FROM review_ratings) || ' ratings, ' || \
  (SELECT count(*) FROM reviews) || ' reviews, ' || (SELECT count(*) FROM goal_codes) || ' codes'")
password=$(awk '/password:/ { print $2 }' "$work/demo.txt")
body=$(awk '/commissioning body:/ { print $3 }' "$work/demo.txt")
provider=$(awk '/provider admin/ { print $NF }' "$work/demo.txt")

# p50 and p99 (ms) of RUNS sequential requests, after one warm-up that must succeed.
measure() {
  local name=$1 tok=$2 path=$3
  if ! curl -fsS -o /dev/null -H "authorization: Bearer $tok" "$api$path"; then
    printf '  %-44s failed (see the server log above)\n' "$name"
    return 0
  fi
  for _ in $(seq "$runs"); do
    curl -fsS -o /dev/null -w '%{time_total}\n' -H "authorization: Bearer $tok" "$api$path"
  done | sort -n | awk -v name="$name" '{ t[NR] = $1 * 1000 } END {
    p50 = t[int((NR + 1) / 2)]; i99 = int(NR * 0.99 + 0.999); if (i99 > NR) i99 = NR;
    printf "  %-44s p50 %7.1f ms   p99 %7.1f ms\n", name, p50, t[i99] }'
}
# The last calendar year that has ended (reports cover whole periods that have ended).
year=$(($(date +%Y) - 1))
from=$year-01-01
to=$year-12-31
token() {
  curl -fsS -X POST "$api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1@demo-$seed.camau.test\",\"password\":\"$password\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["tokens"]["access_token"])'
}
echo "reports bench: $counts; loaded in ${load_s} s; $runs runs each (before: $before_runs); $(nproc) cores"
run_all() {
  local bin=$1
  "$bin" serve &
  server=$!
  until curl -fsS "$api/health/live" >/dev/null 2>&1; do sleep 0.05; done
  commissioner=$(token commissioner)
  admin=$(token p0.admin)
  mentor=$(token p0.mentor0)
  echo "$bin:"
  measure "commissioner year report" "$commissioner" \
    "/v1/commissioners/$body/reports/outcomes?from=$from&to=$to"
  measure "commissioner year report, every breakdown" "$commissioner" \
    "/v1/commissioners/$body/reports/outcomes?from=$from&to=$to&breakdown=provider,service_type,age_band,gender,language"
  measure "provider dashboard (admin: whole organisation)" "$admin" \
    "/v1/organisations/$provider/dashboard"
  measure "provider dashboard (mentor: caseload)" "$mentor" \
    "/v1/organisations/$provider/dashboard"
  kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
  server=
}
if [ -n "$before" ]; then
  after_runs=$runs runs=$before_runs
  run_all "$before"
  runs=$after_runs
fi
run_all "$camau"
