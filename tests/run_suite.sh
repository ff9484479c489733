#!/usr/bin/env bash
# The whole suite, as `make test` runs it.
#
# With a PostgreSQL server (LANTERN_TEST_POSTGRES_URL, or one answering on 127.0.0.1:5432) the
# suite runs twice, once per engine, side by side (one core each):
#   SQLite:     every test except the browser tests
#   PostgreSQL: every test except the `once` tests (Spark and batch files, which never read the
#               web database), browser tests included: they run on the production engine
# Without a server everything runs on SQLite, browser tests included (LANTERN_REQUIRE_POSTGRES
# makes a missing server a failure instead). LANTERN_TEST_SERIAL=1 runs the two passes one after
# the other. Each pass lists every test slower than 10 s, so the next slow test is visible.
set -uo pipefail
cd "$(dirname "$0")/.."

PYTEST=(.venv/bin/pytest -q --durations=0 --durations-min=10 "$@")
LOGS=var/test-logs
mkdir -p "$LOGS"
POSTGRES_URL="${LANTERN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/lantern}"

# One pass: engine name, then pytest's arguments. pytest's 5 ("collected nothing") fails too.
run_pass() {
  local name=$1
  shift
  local started=$SECONDS status
  "$@"
  status=$?
  if [ "$status" -eq 5 ]; then echo "pytest collected no tests"; fi
  echo "--- $name pass: exit $status in $((SECONDS - started)) s"
  return "$status"
}

sqlite_pass() {
  LANTERN_ENV=test LANTERN_DATA_DIR="$PWD/var/test-sqlite" run_pass SQLite "${PYTEST[@]}" "$@"
}

postgres_pass() {
  LANTERN_ENV=test LANTERN_DATA_DIR="$PWD/var/test-postgres" DATABASE_URL="$POSTGRES_URL" \
    run_pass PostgreSQL "${PYTEST[@]}" "$@"
}

if [ -n "${LANTERN_TEST_POSTGRES_URL:-}" ] || pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if [ -n "${LANTERN_TEST_SERIAL:-}" ]; then
    echo "--- the suite on SQLite (browser tests excepted), then on PostgreSQL (once-only tests excepted)"
    sqlite_pass -m "not browser"
    sqlite_status=$?
    postgres_pass -m "not once"
    postgres_status=$?
  else
    echo "--- the suite on SQLite (browser tests excepted) and on PostgreSQL (once-only tests"
    echo "    excepted) side by side; each pass's output follows when both have finished"
    sqlite_pass -m "not browser" >"$LOGS/sqlite.log" 2>&1 &
    sqlite_pid=$!
    postgres_pass -m "not once" >"$LOGS/postgres.log" 2>&1 &
    postgres_pid=$!
    wait "$sqlite_pid"
    sqlite_status=$?
    wait "$postgres_pid"
    postgres_status=$?
    echo "=== SQLite (log: $LOGS/sqlite.log)"
    cat "$LOGS/sqlite.log"
    echo "=== PostgreSQL (log: $LOGS/postgres.log)"
    cat "$LOGS/postgres.log"
  fi
  [ "$sqlite_status" -eq 0 ] && [ "$postgres_status" -eq 0 ]
  exit $?
fi

if [ -n "${LANTERN_REQUIRE_POSTGRES:-}" ]; then
  echo "PostgreSQL is required (LANTERN_REQUIRE_POSTGRES) but no server answers"
  exit 1
fi
echo "--- PostgreSQL not found: the whole suite runs on SQLite"
sqlite_pass
