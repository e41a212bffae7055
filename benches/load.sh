#!/usr/bin/env bash
# Load scripts against the release binary on this machine: start-up time, idle memory, and
# latency under load for a scenario. See benches/README.md.
#
#   benches/load.sh login        sign-in (argon2-bound)
#   benches/load.sh me           an authenticated read: JWT check + session lookup + one row
#   benches/load.sh goals        GET /v1/people/{id}/goals: person authorization + a page of 10
#   benches/load.sh pgbench      the database's own ceiling: pgbench -S on the same cluster
#   benches/load.sh readpath     the read path against the ceiling, in one sitting: for each of
#                                CONNECTIONS_LIST (default "8 32"), /v1/me, the goals and the feed
#                                (20 items with counts) of a random person of a mentor's caseload
#                                of 250, the mentor's home feed (all 250), and pgbench -S -M
#                                prepared, and a supporter's feed of one of the 20 people whose
#                                circles they are in (READPATH_SCENARIOS: a subset of
#                                "me caseload feed home supporter")
#   benches/load.sh upload       the 12 MP phone photo (shared fixture), upload to stored
#                                thumbnail, 5 runs: each time, and the peak RSS it added
#   benches/load.sh sse          live delivery across instances: a stream on instance B,
#                                WRITES (default 200) stories written through instance A, the
#                                time from sending each write to its event on B
#
# Environment: CONNECTIONS (default 8), DURATION (default 20s), THREADS (default 2), CAMAU_BIN
# (a built binary to measure instead of building this tree).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg
source scripts/pg
scenario=${1:-login}

command -v wrk >/dev/null 2>&1 || pg_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
# CAMAU_BIN: another binary to measure (benches/audit_overhead.sh compares two builds).
if [ -n "${CAMAU_BIN:-}" ]; then
  camau=$CAMAU_BIN
else
  cargo build --release --bin camau >&2
  camau=target/release/camau
fi

work=$(mktemp -d /tmp/camau-bench.XXXXXX)
chmod 755 "$work"
cluster= server= server_b=
cleanup() {
  [ -n "$server_b" ] && kill -TERM "$server_b" 2>/dev/null && wait "$server_b" 2>/dev/null
  [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "$cluster" ] && pg_stop "$cluster"
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${DATABASE_URL:-}" ]; then
  cluster="$work/pg"
  pg_dir_usable "$cluster"
  port=$(pg_free_port)
  pg_start "$cluster" "$port" benchpass
  DATABASE_URL="postgres://camau:benchpass@127.0.0.1:$port/postgres"
fi
db="bench_$(date +%s)"
"$(pg_bindir)/psql" "$DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
export DATABASE_URL="${DATABASE_URL%/*}/$db"
export CAMAU_JWT_KEYS="bench:$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
export CAMAU_STORAGE=local CAMAU_STORAGE_PATH="$work/storage" CAMAU_LOG_FORMAT=json RUST_LOG=warn
# The login scenario measures password hashing, not the sign-in throttle (which, counting every
# attempt before checking it, would answer 429 to a benchmark from one address and account).
export CAMAU_LOGIN_MAX_FAILURES_PER_ACCOUNT=1000000000 CAMAU_LOGIN_MAX_FAILURES_PER_ADDRESS=1000000000
api_port=$(pg_free_port)
export CAMAU_BIND="127.0.0.1:$api_port"
api="http://127.0.0.1:$api_port"

"$camau" migrate
password="Bench-marking-the-login-42"
CAMAU_BOOTSTRAP_PASSWORD=$password "$camau" create-organisation --name Bench --kind provider \
  --admin-email bench@example.org --admin-name Bench >/dev/null

started=$(date +%s%N)
"$camau" serve &
server=$!
until curl -fsS "$api/health/live" >/dev/null 2>&1; do sleep 0.005; done
ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
sleep 2
rss_kib=$(awk '/^VmRSS/ { print $2 }' "/proc/$server/status")

login_body="{\"email\":\"bench@example.org\",\"password\":\"$password\"}"
# One request by hand first: a benchmark of error responses measures nothing.
curl -fsS -X POST "$api/v1/auth/login" -H 'content-type: application/json' -d "$login_body" >/dev/null
case "$scenario" in
  login)
    cat >"$work/scenario.lua" <<LUA
wrk.method = "POST"
wrk.path = "/v1/auth/login"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$login_body'
LUA
    ;;
  me)
    token=$(curl -fsS -X POST "$api/v1/auth/login" -H 'content-type: application/json' -d "$login_body" \
      | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    cat >"$work/scenario.lua" <<LUA
wrk.method = "GET"
wrk.path = "/v1/me"
wrk.headers["Authorization"] = "Bearer $token"
LUA
    ;;
  goals)
    token=$(curl -fsS -X POST "$api/v1/auth/login" -H 'content-type: application/json' -d "$login_body" \
      | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    person=$(curl -fsS -X POST "$api/v1/people" -H "authorization: Bearer $token" -H 'content-type: application/json' \
      -d '{"preferred_name":"Bench","service_type":"other","support_started_on":"2026-01-01"}' \
      | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
    for i in $(seq 1 10); do
      curl -fsS -X POST "$api/v1/people/$person/goals" -H "authorization: Bearer $token" \
        -H 'content-type: application/json' -d "{\"title\":\"Goal $i in my own words\"}" >/dev/null
    done
    cat >"$work/scenario.lua" <<LUA
wrk.method = "GET"
wrk.path = "/v1/people/$person/goals"
wrk.headers["Authorization"] = "Bearer $token"
LUA
    ;;
  readpath)
    admin=$(curl -fsS -X POST "$api/v1/auth/login" -H 'content-type: application/json' -d "$login_body" \
      | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    org=$(curl -fsS "$api/v1/me" -H "authorization: Bearer $admin" | sed -n 's/.*"organisation":{"id":"\([^"]*\)".*/\1/p')
    code=$(curl -fsS -X POST "$api/v1/organisations/$org/invitations" -H "authorization: Bearer $admin" \
      -H 'content-type: application/json' -d '{"email":"mentor@example.org","role":"mentor"}' \
      | sed -n 's/.*"code":"\([^"]*\)".*/\1/p')
    mentor=$(curl -fsS -X POST "$api/v1/invitations/accept" -H 'content-type: application/json' \
      -d "{\"code\":\"$code\",\"name\":\"Bench Mentor\",\"password\":\"$password\"}" \
      | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    mentor_id=$(curl -fsS "$api/v1/me" -H "authorization: Bearer $mentor" | sed -n 's/.*"account":{"id":"\([^"]*\)".*/\1/p')
    echo "seeding a caseload of 250 people with 4 goals each..." >&2
    seq 1 250 | xargs -P 4 -I{} curl -fsS -X POST "$api/v1/people" -H "authorization: Bearer $admin" \
      -H 'content-type: application/json' -o "$work/person-{}.json" \
      -d "{\"preferred_name\":\"Person {}\",\"service_type\":\"other\",\"support_started_on\":\"2026-01-01\",\"mentor_ids\":[\"$mentor_id\"]}"
    for f in "$work"/person-*.json; do grep -o '^{"id":"[^"]*"' "$f" | cut -d'"' -f4; done >"$work/people.txt"
    [ "$(wc -l <"$work/people.txt")" -eq 250 ] || { echo "seeding failed" >&2; exit 1; }
    for g in 1 2 3 4; do
      xargs -P 4 -I{} curl -fsS -o /dev/null -X POST "$api/v1/people/{}/goals" -H "authorization: Bearer $mentor" \
        -H 'content-type: application/json' -d "{\"title\":\"Goal $g in my own words\"}" <"$work/people.txt"
    done
    # With the goals' 4 items, 20 stories each make a feed page of 20 with counts to read.
    echo "seeding 20 stories per person..." >&2
    for s in $(seq 1 20); do
      xargs -P 4 -I{} curl -fsS -o /dev/null -X POST "$api/v1/people/{}/stories" -H "authorization: Bearer $mentor" \
        -H 'content-type: application/json' -d "{\"body\":\"Story $s: a good day out, in words\",\"audience\":\"circle\"}" <"$work/people.txt"
    done
    # Access tokens last ten minutes and the seeding takes a while: sign in afresh.
    mentor=$(curl -fsS -X POST "$api/v1/auth/login" -H 'content-type: application/json' \
      -d "{\"email\":\"mentor@example.org\",\"password\":\"$password\"}" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    # A supporter in the circles of 20 of them, with the stories grant: each feed item passes
    # story_seen (the audience rule) rather than the staff short-cut.
    echo "seeding a supporter in 20 circles..." >&2
    supporter=
    for person in $(head -20 "$work/people.txt"); do
      member=$(curl -fsS -X POST "$api/v1/people/$person/circle" -H "authorization: Bearer $mentor" \
        -H 'content-type: application/json' \
        -d '{"name":"Bench Supporter","relationship":"family","grants":{"stories":true,"goals":true,"encourage":true}}' \
        | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
      invite=$(curl -fsS -X POST "$api/v1/circle-members/$member/invitations" -H "authorization: Bearer $mentor" \
        | sed -n 's/.*"code":"\([^"]*\)".*/\1/p')
      supporter=$(curl -fsS -X POST "$api/v1/circle-invitations/accept" -H 'content-type: application/json' \
        -d "{\"code\":\"$invite\",\"email\":\"supporter@example.org\",\"name\":\"Bench Supporter\",\"password\":\"$password\"}" \
        | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
      echo "$person" >>"$work/supported.txt"
    done
    [ -n "$supporter" ] && [ "$(wc -l <"$work/supported.txt")" -eq 20 ] || { echo "supporter seeding failed" >&2; exit 1; }
    supporter=$(curl -fsS -X POST "$api/v1/auth/login" -H 'content-type: application/json' \
      -d "{\"email\":\"supporter@example.org\",\"password\":\"$password\"}" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    cat >"$work/supporter.lua" <<LUA
local ids = {}
for line in io.lines("$work/supported.txt") do ids[#ids + 1] = line end
local headers = { ["Authorization"] = "Bearer $supporter" }
request = function()
  return wrk.format("GET", "/v1/people/" .. ids[math.random(#ids)] .. "/feed", headers)
end
LUA
    cat >"$work/me.lua" <<LUA
wrk.method = "GET"
wrk.path = "/v1/me"
wrk.headers["Authorization"] = "Bearer $mentor"
LUA
    cat >"$work/caseload.lua" <<LUA
local ids = {}
for line in io.lines("$work/people.txt") do ids[#ids + 1] = line end
local headers = { ["Authorization"] = "Bearer $mentor" }
request = function()
  return wrk.format("GET", "/v1/people/" .. ids[math.random(#ids)] .. "/goals", headers)
end
LUA
    cat >"$work/feed.lua" <<LUA
local ids = {}
for line in io.lines("$work/people.txt") do ids[#ids + 1] = line end
local headers = { ["Authorization"] = "Bearer $mentor" }
request = function()
  return wrk.format("GET", "/v1/people/" .. ids[math.random(#ids)] .. "/feed", headers)
end
LUA
    cat >"$work/home.lua" <<LUA
wrk.method = "GET"
wrk.path = "/v1/me/feed"
wrk.headers["Authorization"] = "Bearer $mentor"
LUA
    bin=$(pg_bindir)
    "$bin/pgbench" -q -i -s 1 "$DATABASE_URL" >/dev/null 2>&1
    secs=$(d=${DURATION:-20s}; echo "${d%s}")
    row() { # name, connections, wrk output file
      awk -v name="$1" -v c="$2" '
        /Requests\/sec/ { rps = $2 } / 50%/ { p50 = $2 } / 99%/ { p99 = $2 } /Non-2xx/ { bad = 1 }
        END { printf "| %s | %s | %.0f | %s | %s |%s\n", name, c, rps, p50, p99, bad ? " ERRORS" : "" }' "$3"
    }
    echo "| scenario | connections | req/s | p50 | p99 |"
    echo "|---|---|---|---|---|"
    for c in ${CONNECTIONS_LIST:-8 32}; do
      for s in ${READPATH_SCENARIOS:-me caseload feed home supporter}; do
        wrk -t"${THREADS:-2}" -c"$c" -d"${DURATION:-20s}" --latency -s "$work/$s.lua" "$api" >"$work/$s-$c.txt"
        row "$s" "$c" "$work/$s-$c.txt"
      done
      tps=$("$bin/pgbench" -n -S -M prepared -c "$c" -j 2 -T "$secs" "$DATABASE_URL" 2>/dev/null \
        | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
      printf "| pgbench -S -M prepared | %s | %.0f | | |\n" "$c" "$tps"
    done
    exit 0
    ;;
  upload)
    token=$(curl -fsS -X POST "$api/v1/auth/login" -H 'content-type: application/json' -d "$login_body" \
      | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    person=$(curl -fsS -X POST "$api/v1/people" -H "authorization: Bearer $token" -H 'content-type: application/json' \
      -d '{"preferred_name":"Bench","service_type":"other","support_started_on":"2026-01-01"}' \
      | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
    photo=tests/fixtures/images/phone-12mp-gps-orientation6.jpg
    echo "12 MP phone JPEG ($(stat -c %s "$photo") bytes), upload to stored thumbnail:"
    for run in 1 2 3 4 5; do
      story=$(curl -fsS -X POST "$api/v1/people/$person/stories" -H "authorization: Bearer $token" \
        -H 'content-type: application/json' -d '{"body":"Bench story"}' | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
      before=$(awk '/^VmHWM/ { print $2 }' "/proc/$server/status")
      # Peak RSS only grows: reset it, so each run's peak is its own.
      echo 5 >"/proc/$server/clear_refs" 2>/dev/null || true
      base=$(awk '/^VmRSS/ { print $2 }' "/proc/$server/status")
      t=$(curl -fsS -o /dev/null -w '%{time_total}' -X POST "$api/v1/stories/$story/photos" \
        -H "authorization: Bearer $token" -H 'content-type: image/jpeg' --data-binary @"$photo")
      peak=$(awk '/^VmHWM/ { print $2 }' "/proc/$server/status")
      echo "run $run: $(awk -v t="$t" 'BEGIN { printf "%.0f", t * 1000 }') ms; peak RSS +$(( (peak - base) / 1024 )) MiB (before: $((before / 1024)) MiB)"
    done
    exit 0
    ;;
  sse)
    token=$(curl -fsS -X POST "$api/v1/auth/login" -H 'content-type: application/json' -d "$login_body" \
      | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    person=$(curl -fsS -X POST "$api/v1/people" -H "authorization: Bearer $token" -H 'content-type: application/json' \
      -d '{"preferred_name":"Bench","service_type":"other","support_started_on":"2026-01-01"}' \
      | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
    # A second instance on the same database: writes go through A, the stream is on B.
    port_b=$(pg_free_port)
    CAMAU_BIND="127.0.0.1:$port_b" "$camau" serve &
    server_b=$!
    until curl -fsS "http://127.0.0.1:$port_b/health/live" >/dev/null 2>&1; do sleep 0.005; done
    python3 benches/sse_latency.py "$api" "http://127.0.0.1:$port_b" "$token" "$person" "${WRITES:-200}"
    exit 0
    ;;
  pgbench)
    bin=$(pg_bindir)
    "$bin/pgbench" -q -i -s 1 "$DATABASE_URL" >/dev/null 2>&1
    echo "pgbench -S -M prepared -c ${CONNECTIONS:-8} -j 2 for ${DURATION:-20s}:"
    "$bin/pgbench" -n -S -M prepared -c "${CONNECTIONS:-8}" -j 2 -T "$(d=${DURATION:-20s}; echo "${d%s}")" "$DATABASE_URL" 2>/dev/null \
      | grep -E 'latency average|tps'
    exit 0
    ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac
cat >>"$work/scenario.lua" <<'LUA'
local shown = false
function response(status, headers, body)
  if status ~= 200 and not shown then
    shown = true
    io.stderr:write("first error: " .. status .. " " .. body .. "\n")
  end
end
LUA

echo "scenario: $scenario; connections ${CONNECTIONS:-8}, duration ${DURATION:-20s}"
echo "start-up to first live response: ${ready_ms} ms; idle RSS: $((rss_kib / 1024)) MiB (${rss_kib} KiB)"
wrk -t"${THREADS:-2}" -c"${CONNECTIONS:-8}" -d"${DURATION:-20s}" --latency -s "$work/scenario.lua" "$api" \
  | sed -n '/Latency Distribution/,$p' | tee "$work/wrk.txt"
if grep -q 'Non-2xx' "$work/wrk.txt"; then echo "FAILED: some responses were errors" >&2; exit 1; fi
echo "RSS after load: $(( $(awk '/^VmRSS/ { print $2 }' "/proc/$server/status") / 1024 )) MiB"
