#!/usr/bin/env bash
# The console's cost over the API's: loads `camau demo-data` (PEOPLE, default 100000: its first
# provider then has about 5,000 people) into a fresh database of a private cluster and times,
# against the release build, the same figures read both ways, alternating request by request
# (RUNS each, default 30, after a warm-up):
#   - the provider's dashboard: GET /v1/organisations/{id}/dashboard (bearer) against
#     GET /console/dashboard (cookie), as its admin and as a mentor;
#   - a commissioner's year report, every breakdown: the API's against /console/reports.
# Prints p50 and p99 of each and the console's added p50.
#
#   benches/console.sh
#   PEOPLE=20000 RUNS=20 CAMAU_BIN=target/release/camau benches/console.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg
source scripts/pg
people=${PEOPLE:-100000}
runs=${RUNS:-30}
if [ -z "${CAMAU_BIN:-}" ]; then cargo build --release --bin camau >&2; fi
camau=${CAMAU_BIN:-target/release/camau}
work=$(mktemp -d /tmp/camau-console.XXXXXX)
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
"$(pg_bindir)/psql" "$DATABASE_URL" -qc "CREATE DATABASE console" >/dev/null
export DATABASE_URL="${DATABASE_URL%/*}/console"
export CAMAU_JWT_KEYS="bench:$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
export CAMAU_STORAGE=local CAMAU_STORAGE_PATH="$work/storage" CAMAU_LOG_FORMAT=json RUST_LOG=warn
export CAMAU_QUOTA_REPORTS_PER_DAY=100000
api_port=$(pg_free_port)
export CAMAU_BIND="127.0.0.1:$api_port"
api="http://127.0.0.1:$api_port"

"$camau" migrate
"$camau" demo-data --people "$people" >"$work/demo.txt" 2>"$work/demo.log" || { cat "$work/demo.log"; exit 1; }
"$(pg_bindir)/psql" "$DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null
password=$(awk '/password:/ { print $2 }' "$work/demo.txt")
body=$(awk '/commissioning body:/ { print $3 }' "$work/demo.txt")
provider=$(awk '/provider admin/ { print $NF }' "$work/demo.txt")
size=$("$(pg_bindir)/psql" "$DATABASE_URL" -Atc "SELECT count(*) FROM people WHERE organisation_id = '$provider'")

"$camau" serve &
server=$!
until curl -fsS "$api/health/live" >/dev/null 2>&1; do sleep 0.05; done

token() {
  curl -fsS -X POST "$api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1@demo-1.camau.test\",\"password\":\"$password\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["tokens"]["access_token"])'
}
# A console session: the sign-in form's token from its cookie, then the form.
console_jar() {
  local jar="$work/$1.jar"
  local csrf
  csrf=$(curl -fsS -c "$jar" -b "$jar" "$api/console/sign-in" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -fsS -o /dev/null -c "$jar" -b "$jar" -X POST "$api/console/sign-in" \
    --data-urlencode "csrf=$csrf" --data-urlencode "email=$1@demo-1.camau.test" \
    --data-urlencode "password=$password"
  echo "$jar"
}
stats() {
  sort -n | awk -v name="$1" '{ t[NR] = $1 * 1000 } END {
    p50 = t[int((NR + 1) / 2)]; i99 = int(NR * 0.99 + 0.999); if (i99 > NR) i99 = NR;
    printf "  %-46s p50 %7.1f ms   p99 %7.1f ms\n", name, p50, t[i99] }'
}
# Alternating requests, so both see the same machine state.
compare() {
  local name=$1 tok=$2 api_path=$3 jar=$4 page=$5
  curl -fsS -o /dev/null -H "authorization: Bearer $tok" "$api$api_path"
  curl -fsS -o /dev/null -b "$jar" "$api$page"
  : >"$work/a" && : >"$work/c"
  for _ in $(seq "$runs"); do
    curl -fsS -o /dev/null -w '%{time_total}\n' -H "authorization: Bearer $tok" "$api$api_path" >>"$work/a"
    curl -fsS -o /dev/null -w '%{time_total}\n' -b "$jar" "$api$page" >>"$work/c"
  done
  stats "$name: API" <"$work/a"
  stats "$name: console page" <"$work/c"
  paste <(sort -n "$work/a") <(sort -n "$work/c") | awk -v n="$runs" -v name="$name" \
    'NR == int((n + 1) / 2) { printf "  %-46s %+7.1f ms at p50\n", name ": console adds", ($2 - $1) * 1000 }'
}
year=$(($(date +%Y) - 1))
echo "console bench: provider of $size people ($people in all); $runs runs each; $(nproc) cores"
compare "dashboard, admin" "$(token p0.admin)" "/v1/organisations/$provider/dashboard" \
  "$(console_jar p0.admin)" "/console/dashboard"
compare "dashboard, mentor" "$(token p0.mentor0)" "/v1/organisations/$provider/dashboard" \
  "$(console_jar p0.mentor0)" "/console/dashboard"
breakdowns=provider,service_type,age_band,gender,language
compare "year report, every breakdown" "$(token commissioner)" \
  "/v1/commissioners/$body/reports/outcomes?from=$year-01-01&to=$year-12-31&breakdown=$breakdowns" \
  "$(console_jar commissioner)" "/console/reports?from=$year-01-01&to=$year-12-31"
