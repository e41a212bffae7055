#!/usr/bin/env bash
# What each part of the audited person read path costs in the database: `pgbench -M prepared`
# on a private cluster migrated by the camau binary, PEOPLE (default 2000) people with two
# current consents each, one random person per transaction, CLIENTS clients (default 2) for
# SECONDS (default 10) per variant:
#   lookup                  SELECT p.id FROM people p WHERE p.id = $1 (the floor)
#   consent_withheld        + consent_withheld() for circle_stories and circle_photos, as the
#                           binary's migrations define it (PL/pgSQL since 000021)
#   consent inline          + the same two EXISTS tests written into the statement
#   audit event, 1 per tx   a read's event, one statement and commit per read (as of 741ce45)
#   audit events, 16 per tx one INSERT of 16 events per transaction (as `audit::reads` batches)
#   consent, SQL fn         + migration 000013's SQL consent_withheld: not inlinable, so its
#                           body is planned on every call
# Prints tps and mean latency per variant with its ratio to the lookup, and events/s.
#
#   benches/readpath_parts.sh
#   CAMAU_BIN=target/debug/camau PEOPLE=5000 CLIENTS=2 SECONDS=20 benches/readpath_parts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg
source scripts/pg
# SECONDS is also bash's own clock (always set): read it from the environment we were given.
secs=$(tr '\0' '\n' </proc/$$/environ | sed -n 's/^SECONDS=//p')
secs=${secs:-10} people=${PEOPLE:-2000} clients=${CLIENTS:-2}
camau=${CAMAU_BIN:-target/release/camau}
[ -x "$camau" ] || { echo "no camau binary at $camau: build it (cargo build --release) or set CAMAU_BIN" >&2; exit 1; }

work=$(mktemp -d /tmp/camau-readpath-parts.XXXXXX)
chmod 755 "$work"
cluster=
cleanup() {
  [ -n "$cluster" ] && pg_stop "$cluster"
  rm -rf "$work"
}
trap cleanup EXIT

bin=$(pg_bindir)
cluster="$work/pg"
pg_dir_usable "$cluster"
port=$(pg_free_port)
pg_start "$cluster" "$port" benchpass
"$bin/psql" "postgres://camau:benchpass@127.0.0.1:$port/postgres" -qc "CREATE DATABASE parts" >/dev/null
export DATABASE_URL="postgres://camau:benchpass@127.0.0.1:$port/parts"
export CAMAU_JWT_KEYS="bench:$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
export CAMAU_STORAGE=local CAMAU_STORAGE_PATH="$work/storage" CAMAU_LOG_FORMAT=json RUST_LOG=warn
"$camau" migrate

# Deterministic ids: people ...-0000-<i>, their consents ...-0001-<i> and ...-0002-<i>.
org=a0000000-0000-0000-0000-000000000001
admin=b0000000-0000-0000-0000-000000000001
uid() { echo "('00000000-0000-0000-$1-' || lpad(to_hex($2), 12, '0'))::uuid"; }
"$bin/psql" "$DATABASE_URL" -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
BEGIN;
SELECT set_config('camau.audited', 'on', true);
INSERT INTO organisations (id, name, kind) VALUES ('$org', 'Bench', 'provider');
INSERT INTO accounts (id, organisation_id, email, name, role, password_hash)
VALUES ('$admin', '$org', 'admin@bench.test', 'Bench Admin', 'admin', 'x');
INSERT INTO people (id, organisation_id, preferred_name, service_type, support_started_on)
SELECT $(uid 0000 i), '$org'::uuid, 'Person ' || i, 'other', date '2024-01-01' FROM generate_series(1, $people) i;
INSERT INTO consents (id, person_id, organisation_id, purpose, audience, decision, given_by,
                      wording_version, recorded_by)
SELECT $(uid 0001 i), $(uid 0000 i), '$org'::uuid, 'circle_stories', 'circle', 'given', 'person', 'v1', '$admin'::uuid
  FROM generate_series(1, $people) i
UNION ALL
SELECT $(uid 0002 i), $(uid 0000 i), '$org'::uuid, 'circle_photos', 'circle', 'given', 'person', 'v1', '$admin'::uuid
  FROM generate_series(1, $people) i;
COMMIT;
-- Migration 000013's consent_withheld (SQL; since 000021 it is PL/pgSQL), to compare with.
CREATE FUNCTION consent_withheld_sql(person uuid, purpose text) RETURNS boolean
LANGUAGE sql STABLE AS \$f\$
    SELECT EXISTS (SELECT 1 FROM consents c WHERE c.person_id = \$1 AND c.purpose = \$2 AND c.current
                      AND (c.decision = 'refused' OR c.withdrawn_at IS NOT NULL))
\$f\$;
ANALYZE;
SQL

# The variants. pgbench passes :i as an untyped parameter, hence the ::int.
person=$(uid 0000 ':i::int')
pick="\\set i random(1, $people)"
withheld() { # purpose: the body of consent_withheld, inline
  echo "EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id AND c.purpose = '$1' AND c.current
                AND (c.decision = 'refused' OR c.withdrawn_at IS NOT NULL))"
}
# A read's event as src/trust/audit/model.rs `insert` wrote it at 741ce45 (`record_read`, $10 = true),
# with constant organisation and actor.
# Its id is Uuid::now_v7() from the application; PostgreSQL 15 has no uuidv7(), so a random one.
audit() { # person expression, FROM items after c
  echo "WITH c AS (SELECT CASE WHEN true THEN set_config('synchronous_commit', 'off', true) END),
     e AS (INSERT INTO audit_events (id, organisation_id, actor_account_id, actor_role, person_id, action,
                                     subject_type, subject_id, details, request_id, client_request_id)
           SELECT gen_random_uuid(), coalesce('$org'::uuid, (SELECT organisation_id FROM people WHERE id = $1)),
                  '$admin'::uuid, coalesce((SELECT role FROM accounts WHERE id = '$admin'), 'system'),
                  $1, 'goals.viewed', 'person', NULL, '{}'::jsonb, 'bench-request', NULL
             FROM c$2
           RETURNING 1)
SELECT set_config('camau.audited', 'on', true) FROM e;"
}
# pgbench: a meta-command per line; an SQL command may span lines up to its ';'.
printf '%s\nSELECT p.id FROM people p WHERE p.id = %s;\n' "$pick" "$person" >"$work/1.sql"
printf "%s\nSELECT p.id, consent_withheld(p.id, 'circle_stories'), consent_withheld(p.id, 'circle_photos')\n  FROM people p WHERE p.id = %s;\n" \
  "$pick" "$person" >"$work/2.sql"
printf '%s\nSELECT p.id, %s,\n       %s\n  FROM people p WHERE p.id = %s;\n' \
  "$pick" "$(withheld circle_stories)" "$(withheld circle_photos)" "$person" >"$work/3.sql"
printf '%s\n%s\n' "$pick" "$(audit "$person" "")" >"$work/4.sql"
# 16 events: the random person and the 15 after it (wrapping round).
printf '%s\n%s\n' "$pick" "$(audit "$(uid 0000 "((:i::int + g - 1) % $people + 1)")" ", generate_series(0, 15) g")" >"$work/5.sql"

sed 's/consent_withheld(/consent_withheld_sql(/g' "$work/2.sql" >"$work/6.sql"
names=("lookup" "consent_withheld (as migrated)" "consent inline" "audit event, 1 per tx" "audit events, 16 per tx" "consent, SQL fn (000013)")
per_tx=(0 0 0 1 16 0) # audit events written per transaction
echo "readpath parts: $people people, 2 consents each; pgbench -M prepared -c $clients -j $clients -T $secs; $(nproc) cores"
printf '| %-30s | %8s | %10s | %14s | %9s |\n' variant tps "latency ms" "cost vs lookup" "events/s"
echo "|--------------------------------|----------|------------|----------------|-----------|"
declare -a tps
for n in 1 2 3 4 5 6; do
  "$bin/pgbench" -n -M prepared -c "$clients" -j "$clients" -T "$secs" -f "$work/$n.sql" "$DATABASE_URL" \
    >"$work/$n.out" 2>"$work/$n.err" || { cat "$work/$n.err" "$work/$n.out" >&2; exit 1; }
  ! grep -q '^number of failed transactions: [1-9]' "$work/$n.out" || { cat "$work/$n.out" >&2; exit 1; }
  tps[n]=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/$n.out")
  lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$work/$n.out")
  # cost vs lookup: how many lookups' time one transaction of this variant takes.
  awk -v name="${names[n-1]}" -v t="${tps[n]}" -v l="$lat" -v t1="${tps[1]}" -v k="${per_tx[n-1]}" 'BEGIN {
    printf "| %-30s | %8.0f | %10.3f | %13.2fx | %9s |\n", name, t, l, t1 / t, k ? sprintf("%.0f", t * k) : "" }'
done
awk -v t4="${tps[4]}" -v t5="${tps[5]}" 'BEGIN {
  printf "audit, 16 per transaction: %.0f events/s, %.2fx the events/s of 1 per transaction;\n", t5 * 16, t5 * 16 / t4
  printf "  per-event cost %.3f of the 1-per-transaction statement\n", t4 / (t5 * 16) }'
echo "note: per-statement database cost on this machine (PostgreSQL and pgbench share its $(nproc) cores):"
echo "      compare the variants as ratios within one sitting, not across machines or runs."
