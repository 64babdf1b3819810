# Shared by the compatibility suites (sourced, not run): the binary under test, a fresh
# bomgraph on a free port with its own SQLite database and one admin user with a token,
# and the pass/fail tally.
#
# A suite sets ROOT, SUITE (a short name), TOTAL (its number of checks), PYTHON, USERNAME
# and PASSWORD, sources this file, calls `start_server`, runs its checks with `record NAME
# STATUS`, and ends with `finish`. After `start_server`: WORK (a temporary directory),
# BASE (the server's URL), DB, TOKEN, SERVER_PID.
#
# Environment read here:
#   BOMGRAPH              the binary to test; when unset, target/debug/bomgraph, built first
#                         with `cargo build --bin bomgraph` (skip that with COMPAT_SKIP_BUILD=1)
#   COMPAT_KEEP_TMP=1     keep the temporary directory (database, logs) even on success

PASSED=0
FAILED=0
FAILURES=()

log() { printf '== %s\n' "$*"; }

KEEP_WORK=0
setup_failed() {
  KEEP_WORK=1
  printf 'setup failed: %s\n' "$*" >&2
  printf '0 passed, %d failed\n' "$TOTAL"
  exit 2
}

build_binary() {
  if [[ -z "${BOMGRAPH:-}" ]]; then
    BOMGRAPH="$ROOT/target/debug/bomgraph"
    if [[ "${COMPAT_SKIP_BUILD:-0}" != 1 ]]; then
      log "cargo build --bin bomgraph"
      (cd "$ROOT" && cargo build --bin bomgraph) || setup_failed "cargo build failed"
    fi
  fi
  [[ -x "$BOMGRAPH" ]] || setup_failed "no bomgraph binary at $BOMGRAPH"
}

SERVER_PID=""
WORK=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  [[ -n "$WORK" ]] || return 0
  if [[ "${COMPAT_KEEP_TMP:-0}" == 1 || $FAILED -gt 0 || $KEEP_WORK == 1 ]]; then
    printf 'logs and database kept in %s\n' "$WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

server_log_tail() {
  printf -- '--- last lines of %s\n' "$WORK/server.log" >&2
  tail -n 40 "$WORK/server.log" >&2
}

# Builds the binary when needed, then starts it on a free port with a fresh database.
start_server() {
  build_binary
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/bomgraph-compat-$SUITE.XXXXXX")" || setup_failed "mktemp"
  PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" \
    || setup_failed "no free port"
  BASE="http://127.0.0.1:$PORT"
  DB="sqlite://$WORK/db.sqlite?mode=rwc"

  log "user and token in $WORK/db.sqlite"
  "$BOMGRAPH" user create --username "$USERNAME" --password "$PASSWORD" --team compat --role admin \
    --database-url "$DB" >"$WORK/cli.log" 2>&1 || { cat "$WORK/cli.log" >&2; setup_failed "bomgraph user create"; }
  TOKEN="$("$BOMGRAPH" token create --username "$USERNAME" --name compat --database-url "$DB" 2>>"$WORK/cli.log" | tail -n 1)"
  [[ -n "$TOKEN" ]] || { cat "$WORK/cli.log" >&2; setup_failed "bomgraph token create printed no token"; }

  log "bomgraph serve on $BASE"
  "$BOMGRAPH" serve --bind "127.0.0.1:$PORT" --database-url "$DB" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!

  up=0
  for _ in $(seq 1 150); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      server_log_tail
      setup_failed "bomgraph serve exited"
    fi
    if "$PYTHON" - "$BASE/healthz" <<'EOF' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
EOF
    then up=1; break; fi
    sleep 0.2
  done
  [[ $up == 1 ]] || { server_log_tail; setup_failed "GET /healthz did not answer 200 within 30s"; }
}

record() { # name, exit status
  if [[ "$2" == 0 ]]; then
    PASSED=$((PASSED + 1))
    log "PASS $1"
  else
    FAILED=$((FAILED + 1))
    FAILURES+=("$1")
    log "FAIL $1"
  fi
}

# The tally, last; the exit status of the suite.
finish() {
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    server_log_tail
    printf 'bomgraph serve died during the suite (see its log above)\n' >&2
    KEEP_WORK=1
  fi

  if (( FAILED > 0 )); then
    log "failed: ${FAILURES[*]}"
  fi
  printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
  (( FAILED == 0 ))
}
