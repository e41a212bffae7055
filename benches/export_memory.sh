#!/usr/bin/env bash
# Peak memory of one export (a person's copy of everything held) for a person with PHOTOS
# (default 200) stored photos, each a copy of PHOTO (default the 4.2 MB 12 MP phone JPEG from
# tests/fixtures/images): `camau demo-data --people 1` into a private cluster, then the photos'
# rows (SQL) and objects (files in the local store) added to one of the person's stories, the
# server started fresh, and its peak resident memory (VmHWM) read before the export is asked
# for and after it is ready. Prints both, the ZIP's size, and the time to build it.
#
#   benches/export_memory.sh
#   PHOTOS=50 CAMAU_BIN=target/release/camau benches/export_memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg
source scripts/pg
photos=${PHOTOS:-200}
photo=${PHOTO:-tests/fixtures/images/phone-12mp-gps-orientation6.jpg}
if [ -n "${CAMAU_BIN:-}" ]; then
  camau=$CAMAU_BIN
else
  cargo build --bin camau >&2
  camau=target/debug/camau
fi
work=$(mktemp -d /tmp/camau-export.XXXXXX)
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
psql() { "$(pg_bindir)/psql" "$DATABASE_URL" -v ON_ERROR_STOP=1 "$@"; }
psql -qc "CREATE DATABASE export" >/dev/null
export DATABASE_URL="${DATABASE_URL%/*}/export"
export CAMAU_JWT_KEYS="bench:$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
export CAMAU_STORAGE=local CAMAU_STORAGE_PATH="$work/storage" CAMAU_LOG_FORMAT=json RUST_LOG=warn
api_port=$(pg_free_port)
export CAMAU_BIND="127.0.0.1:$api_port"
api="http://127.0.0.1:$api_port"

"$camau" migrate
"$camau" demo-data --people 1 --seed 1 >"$work/demo.txt"
password=$(awk '/password:/ { print $2 }' "$work/demo.txt")
admin=p0.admin@demo-1.camau.test
# The person, one of their stories, and who may upload: rows as the upload path writes them.
IFS='|' read -r person org story account < <(psql -Atc "SELECT p.id, p.organisation_id,
    (SELECT s.id FROM stories s WHERE s.person_id = p.id ORDER BY s.id LIMIT 1),
    (SELECT a.id FROM accounts a WHERE a.email = '$admin')
  FROM people p LIMIT 1")
if [ -z "$story" ]; then
  story=$(psql -qAtc "SELECT set_config('camau.audited', 'on', true);
    INSERT INTO stories (id, person_id, organisation_id, body, lang, audience, status, author_kind, author_account_id)
    VALUES (gen_random_uuid(), '$person', '$org', 'Bench story', 'en', 'circle', 'published', 'staff', '$account') RETURNING id" | tail -n 1)
fi
ids=$(psql -qAtc "SELECT set_config('camau.audited', 'on', true);
  INSERT INTO photos (id, story_id, person_id, organisation_id, width, height, uploaded_by, body_hash, stored_at)
  SELECT gen_random_uuid(), '$story', '$person', '$org', 4032, 3024, '$account',
         decode(md5(g::text), 'hex'), now()
    FROM generate_series(1, $photos) g RETURNING id" | tail -n +2)
for id in $ids; do
  mkdir -p "$work/storage/photos/$id"
  cp "$photo" "$work/storage/photos/$id/original.jpg"
done

"$camau" serve >"$work/server.log" 2>&1 &
server=$!
until curl -fsS "$api/health/live" >/dev/null 2>&1; do sleep 0.05; done
token=$(curl -fsS -X POST "$api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$admin\",\"password\":\"$password\"}" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
hwm() { awk '/VmHWM/ { print $2 }' "/proc/$server/status"; }
before=$(hwm)
started=$(date +%s%N)
export_id=$(curl -fsS -X POST "$api/v1/people/$person/exports" -H "authorization: Bearer $token" \
  | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
status=pending
until [ "$status" != pending ]; do
  sleep 0.2
  status=$(curl -fsS "$api/v1/exports/$export_id" -H "authorization: Bearer $token" \
    | sed -n 's/.*"status":"\([^"]*\)".*/\1/p')
done
took_ms=$(( ($(date +%s%N) - started) / 1000000 ))
after=$(hwm)
size=$(find "$work/storage/exports" -name export.zip -printf '%s')
echo "export of $photos photos ($(stat -c %s "$photo") bytes each): status $status, ZIP $size bytes, built in $took_ms ms"
echo "server peak resident memory (VmHWM): before ${before} kB, after ${after} kB, growth $((after - before)) kB"
