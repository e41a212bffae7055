#!/usr/bin/env bash
# A realistic mix against the release build, with `camau demo-data` loaded into a private
# PostgreSQL cluster: wrk with benches/mix.lua choosing per request
#   80 %  reads: the feed, goals or profile of a random person of a mentor's caseload
#   15 %  writes: a goal created for such a person (201; valid every time)
#    5 %  sign-ins of those mentors (argon2id: ~25 ms of one core each)
# then `pgbench -S -M prepared` on the same cluster at the same connection count, and the
# ratio of the two. Fails (exit 1) when more than MAX_ERROR_PCT % of the responses were errors
# (non-2xx or socket errors): a benchmark of errors measures nothing.
#
#   CAMAU_BIN=target/release/camau benches/mix.sh
#   CONNECTIONS=8 DURATION=20s PEOPLE=2000 benches/mix.sh
#
# Environment: PEOPLE (default 500), SEED (1), MENTORS (whose caseloads are read; 4),
# CONNECTIONS (32), THREADS (2), DURATION (30s; at most 540s, since the access tokens taken
# before the run live 10 minutes), READ_SHARE (0.80), WRITE_SHARE (0.15), MAX_ERROR_PCT (1),
# CAMAU_BIN (a built binary; otherwise this tree is built with cargo).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg
source scripts/pg

people=${PEOPLE:-500}
seed=${SEED:-1}
mentors=${MENTORS:-4}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
duration=${DURATION:-30s}
read_share=${READ_SHARE:-0.80}
write_share=${WRITE_SHARE:-0.15}
max_error_pct=${MAX_ERROR_PCT:-1}

case "$duration" in
  *m) secs=$(( ${duration%m} * 60 )) ;;
  *s) secs=${duration%s} ;;
  *) secs=$duration ;;
esac
if ! [[ "$secs" =~ ^[0-9]+$ ]] || [ "$secs" -lt 1 ] || [ "$secs" -gt 540 ]; then
  echo "DURATION must be 1s to 540s (access tokens live 10 minutes)" >&2
  exit 2
fi

command -v wrk >/dev/null 2>&1 || pg_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
if [ -n "${CAMAU_BIN:-}" ]; then
  camau=$CAMAU_BIN
else
  cargo build --release --bin camau >&2
  camau=target/release/camau
fi

work=$(mktemp -d /tmp/camau-mix.XXXXXX)
chmod 755 "$work"
cluster='' server=''
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  set +e
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null; fi
  if [ -n "$cluster" ]; then pg_stop "$cluster"; fi
  rm -rf "$work"
}
trap cleanup EXIT

cluster="$work/pg"
pg_dir_usable "$cluster"
port=$(pg_free_port)
pg_start "$cluster" "$port" benchpass
bin=$(pg_bindir)
"$bin/psql" "postgres://camau:benchpass@127.0.0.1:$port/postgres" -qc "CREATE DATABASE mix" >/dev/null
export DATABASE_URL="postgres://camau:benchpass@127.0.0.1:$port/mix"
CAMAU_JWT_KEYS="bench:$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
export CAMAU_JWT_KEYS
export CAMAU_STORAGE=local CAMAU_STORAGE_PATH="$work/storage" CAMAU_LOG_FORMAT=json RUST_LOG=warn
# Sign-ins are part of the mix: from one address and a few accounts the throttle would answer
# 429 within seconds, so it is raised for this server (as load.sh does).
export CAMAU_LOGIN_MAX_FAILURES_PER_ACCOUNT=1000000000 CAMAU_LOGIN_MAX_FAILURES_PER_ADDRESS=1000000000
export CAMAU_QUOTA_UPLOADS_PER_HOUR=1000000 CAMAU_QUOTA_COMMENTS_PER_MINUTE=1000000
# /metrics, scraped before and after the run for the server-side latency of each route.
metrics_token=$(head -c 24 /dev/urandom | base64 | tr -d '\n/+=')
export CAMAU_METRICS_TOKEN=$metrics_token
api_port=$(pg_free_port)
export CAMAU_BIND="127.0.0.1:$api_port"
api="http://127.0.0.1:$api_port"

"$camau" migrate >/dev/null 2>&1
echo "loading demo data: $people people (seed $seed)..." >&2
"$camau" demo-data --people "$people" --seed "$seed" >"$work/demo.txt" 2>/dev/null
"$bin/psql" "$DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null
password=$(awk '/password:/ { print $2 }' "$work/demo.txt")

"$camau" serve >"$work/server.log" 2>&1 &
server=$!
until curl -fsS "$api/health/live" >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { echo "the server died:" >&2; tail -n 20 "$work/server.log" >&2; exit 1; }
  sleep 0.05
done

# Tokens and caseloads of MENTORS mentors (p0.mentor0...), people whose support goes on only
# (a goal for someone whose support ended is refused with 409).
python3 - "$api" "$password" "$seed" "$mentors" "$work" <<'PY'
import json, sys, urllib.request
api, password, seed, mentors, work = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
def call(method, path, token=None, body=None):
    req = urllib.request.Request(api + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)
targets, logins = [], []
for m in range(mentors):
    login = {"email": f"p0.mentor{m}@demo-{seed}.camau.test", "password": password}
    token = call("POST", "/v1/auth/login", body=login)["tokens"]["access_token"]
    logins.append(json.dumps(login, separators=(",", ":")))
    cursor = None
    while True:
        page = call("GET", "/v1/me/caseload?limit=100" + (f"&cursor={cursor}" if cursor else ""), token)
        for p in page["items"]:
            if not (p.get("details") or {}).get("support_ended_on"):
                targets.append(f"{token} {p['id']}")
        cursor = page.get("next_cursor")
        if not cursor:
            break
if not targets:
    sys.exit("no active people in the mentors' caseloads")
open(f"{work}/targets.txt", "w").write("\n".join(targets) + "\n")
open(f"{work}/logins.txt", "w").write("\n".join(logins) + "\n")
print(f"{len(targets)} people in the caseloads of {mentors} mentors", file=sys.stderr)
PY

# One request of each kind by hand first: they must succeed.
read -r token person <"$work/targets.txt"
for kind in feed goals profile; do
  curl -fsS -o /dev/null -H "authorization: Bearer $token" "$api/v1/people/$person/$kind"
done
curl -fsS -o /dev/null -X POST -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"title":"Warm-up goal"}' "$api/v1/people/$person/goals"
curl -fsS -o /dev/null -X POST -H 'content-type: application/json' -d "$(head -n 1 "$work/logins.txt")" \
  "$api/v1/auth/login"

echo "mix: $read_share reads / $write_share writes / rest sign-ins; $connections connections, $threads threads, $duration; $(nproc) cores" >&2
curl -fsS -H "authorization: Bearer $metrics_token" "$api/metrics" >"$work/before.prom"
wrk -t"$threads" -c"$connections" -d"${secs}s" --timeout 10s -s benches/mix.lua "$api" \
  -- "$work/targets.txt" "$work/logins.txt" "$read_share" "$write_share" >"$work/wrk.txt"
curl -fsS -H "authorization: Bearer $metrics_token" "$api/metrics" >"$work/after.prom"
get() { awk -v k="$1" '$1 == "mix" && $2 == k { print $3 }' "$work/wrk.txt"; }
ms() { awk -v us="$(get "$1")" 'BEGIN { printf "%.2f", us / 1000 }'; }

"$bin/pgbench" -q -i -s 1 "$DATABASE_URL" >/dev/null 2>&1
tps=$("$bin/pgbench" -n -S -M prepared -c "$connections" -j "$threads" -T "$secs" "$DATABASE_URL" 2>/dev/null \
  | sed -n 's/^tps = \([0-9.]*\).*/\1/p')

requests=$(get requests)
rps=$(get rps)
errors=$(( $(get non2xx) + $(get socket_errors) ))
echo
echo "| mix | connections | req/s | p50 | p95 | p99 | max | errors | pgbench -S tps | req/s ÷ tps |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf "| %s/%s/%s | %s | %.0f | %s ms | %s ms | %s ms | %s ms | %s of %s | %.0f | %.1f %% |\n" \
  "$read_share" "$write_share" "$(awk -v r="$read_share" -v w="$write_share" 'BEGIN { printf "%.2f", 1 - r - w }')" \
  "$connections" "$rps" "$(ms p50)" "$(ms p95)" "$(ms p99)" "$(ms max)" "$errors" "$requests" "$tps" \
  "$(awk -v a="$rps" -v b="$tps" 'BEGIN { print 100 * a / b }')"
echo
echo "sent: feed $(get sent_feed), goals $(get sent_goals), profile $(get sent_profile), goal writes $(get sent_write), sign-ins $(get sent_login)"
echo "responses: $(awk '$1 == "mix" && $2 ~ /^status_/ { sub("status_", "", $2); printf "%s%s × %s", sep, $2, $3; sep = ", " }' "$work/wrk.txt"); socket errors: $(get socket_detail)"
echo
python3 benches/route_latency.py "$work/before.prom" "$work/after.prom"
echo
echo "server log: $(grep -c '"level":"ERROR"' "$work/server.log" || true) errors, $(grep -c '"level":"WARN"' "$work/server.log" || true) warnings"

if awk -v e="$errors" -v n="$requests" -v max="$max_error_pct" 'BEGIN { exit !(n == 0 || 100 * e / n > max) }'; then
  echo "FAIL: $errors of $requests responses were errors (more than $max_error_pct %)" >&2
  grep -m 5 -E '"level":"(ERROR|WARN)"' "$work/server.log" >&2 || true
  exit 1
fi
echo "PASS: errors $errors of $requests (at most $max_error_pct % allowed)"
