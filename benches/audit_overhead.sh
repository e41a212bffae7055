#!/usr/bin/env bash
# What the audit trail costs the read path: `benches/load.sh readpath` (/v1/me, which reads no
# one's record, then the goals and the feed of random people of a mentor's caseload of 250,
# and pgbench -S) against the release build of BASE, the commit before the trail (61ef848),
# and of this tree, alternately, ROUNDS times (default 2), in one sitting.
#
#   benches/audit_overhead.sh            CONNECTIONS_LIST="8 32" DURATION=20s by default
set -euo pipefail
cd "$(dirname "$0")/.."
base=${BASE:-61ef848}
out=$(mktemp -d /tmp/camau-audit-bench.XXXXXX)
tree=$(mktemp -d /tmp/camau-base-tree.XXXXXX)
trap 'git worktree remove --force "$tree" >/dev/null 2>&1 || true; rm -rf "$tree"' EXIT
git worktree add -f --detach "$tree" "$base" >/dev/null
# One target directory: only the crate itself is rebuilt for each.
(cd "$tree" && CARGO_TARGET_DIR="$OLDPWD/target" cargo build --release --bin camau >&2)
cp target/release/camau "$out/camau-base"
cargo build --release --bin camau >&2
cp target/release/camau "$out/camau-audited"
for round in $(seq 1 "${ROUNDS:-2}"); do
  for build in base audited; do
    echo "## round $round: $build"
    CAMAU_BIN="$out/camau-$build" benches/load.sh readpath
  done
done
