#!/usr/bin/env bash
# A local S3-compatible server for tests and CI: moto in server mode (PyPI), the most faithful
# S3 emulator that needs nothing but Python (multipart uploads, SHA-256 part checksums, presigned
# URLs, ranged GETs). State lives in memory: stop discards every bucket.
#
#   bash .ci/services/s3.sh start    install moto (once, into its own virtualenv), start, wait until it answers
#   bash .ci/services/s3.sh status   exit 0 when the server answers
#   bash .ci/services/s3.sh stop     stop it
#   bash .ci/services/s3.sh env      print the environment the tests need (eval-able)
#   bash .ci/services/s3.sh logs     tail of the server log
#
# Settings (environment):
#   MOTO_VERSION         moto release from PyPI (default 5.2.5)
#   S3_PORT              port on 127.0.0.1 (default 4566: not 9000, which ClickHouse's native
#                        protocol and MinIO in docker-compose use)
#   S3_START_TIMEOUT     seconds to wait for the server to answer (default 30)
#   PYTHON               interpreter for the virtualenv (default python3; needs 3.9+)
#   SLUICE_CACHE         install cache (default ~/.cache/sluice); the venv goes to moto-<version>/
#   SLUICE_SERVICES_DIR  runtime state: log, pid (default ${TMPDIR:-/tmp}/sluice-services)
set -euo pipefail

MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
HOST=127.0.0.1
PORT="${S3_PORT:-4566}"
START_TIMEOUT="${S3_START_TIMEOUT:-30}"
PYTHON="${PYTHON:-python3}"

# A virtualenv of its own: a pinned moto and its Flask never disturb (or depend on) whatever the
# machine's Python has installed.
VENV_DIR="${SLUICE_CACHE:-$HOME/.cache/sluice}/moto-$MOTO_VERSION"
STATE_DIR="${SLUICE_SERVICES_DIR:-${TMPDIR:-/tmp}/sluice-services}/s3-$PORT"
LOG_FILE="$STATE_DIR/moto.log"
PID_FILE="$STATE_DIR/moto.pid"
ENDPOINT="http://$HOST:$PORT"

say() { echo "[s3] $*"; }
fail() {
  echo "[s3] ERROR: $*" >&2
  exit 1
}
fail_with_log() {
  echo "[s3] ERROR: $*" >&2
  if [[ -f "$LOG_FILE" ]]; then
    echo "[s3] --- last 30 lines of $LOG_FILE ---" >&2
    tail -n 30 "$LOG_FILE" >&2 || true
  fi
  exit 1
}

install_moto() {
  if [[ -f "$VENV_DIR/.complete" ]]; then
    say "using moto $MOTO_VERSION in $VENV_DIR"
    return
  fi
  command -v "$PYTHON" >/dev/null || fail "$PYTHON not found: install Python 3.9+ (Debian: python3 python3-venv)"
  say "installing moto[server]==$MOTO_VERSION from PyPI into $VENV_DIR"
  rm -rf "$VENV_DIR"
  mkdir -p "$(dirname "$VENV_DIR")"
  "$PYTHON" -m venv "$VENV_DIR" || fail "cannot create a virtualenv (Debian: apt-get install python3-venv)"
  if ! "$VENV_DIR/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >"$VENV_DIR/pip.log" 2>&1; then
    tail -n 20 "$VENV_DIR/pip.log" >&2
    rm -rf "$VENV_DIR"
    fail "pip could not install moto[server]==$MOTO_VERSION (is PyPI reachable, and does that version exist?)"
  fi
  # Marks a finished install, so an interrupted one is redone instead of half-used.
  touch "$VENV_DIR/.complete"
}

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# ListBuckets answers 200 only once moto's S3 backend serves requests, not merely when the port is open.
answers() {
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$ENDPOINT/" 2>/dev/null)" == "200" ]]
}

port_free() { ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

print_env() {
  # moto accepts any credentials; the SDK still needs some to sign requests.
  echo "export S3_ENDPOINT=$ENDPOINT"
  echo "export S3_REGION=us-east-1"
  echo "export S3_ACCESS_KEY_ID=test"
  echo "export S3_SECRET_ACCESS_KEY=test"
}

start() {
  command -v curl >/dev/null || fail "curl not found (Debian: curl)"
  if pid="$(running_pid)"; then
    if answers; then
      say "already running (pid $pid) on $ENDPOINT"
      print_env
      return
    fi
    fail_with_log "a moto process (pid $pid) exists but does not answer on $ENDPOINT; run '$0 stop' first"
  fi
  port_free "$PORT" || fail "port $HOST:$PORT is already taken by another process (set S3_PORT to use another one)"
  local started=$SECONDS
  install_moto
  mkdir -p "$STATE_DIR"
  say "starting moto $MOTO_VERSION on $ENDPOINT, log: $LOG_FILE"
  # setsid: the server must outlive this script and not receive the caller's terminal signals.
  setsid nohup "$VENV_DIR/bin/moto_server" -H "$HOST" -p "$PORT" >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  local deadline=$((SECONDS + START_TIMEOUT))
  until answers; do
    running_pid >/dev/null || fail_with_log "moto exited during startup"
    if ((SECONDS >= deadline)); then
      stop_quietly
      fail_with_log "moto did not answer within ${START_TIMEOUT}s"
    fi
    sleep 0.2
  done
  say "ready on $ENDPOINT after $((SECONDS - started))s (pid $(cat "$PID_FILE")); the tests need:"
  print_env
}

stop_quietly() {
  local pid
  if pid="$(running_pid)"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "moto did not stop within 5s; killing pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$PID_FILE"
}

stop() {
  if pid="$(running_pid)"; then say "stopping moto (pid $pid)"; else say "no moto server running"; fi
  stop_quietly
  say "stopped (all buckets were in memory and are gone)"
}

status() {
  if pid="$(running_pid)"; then
    if answers; then say "running (pid $pid), answering on $ENDPOINT"; return 0; fi
    say "process $pid is alive but $ENDPOINT does not answer"; return 1
  fi
  say "not running"
  return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) print_env ;;
  logs) tail -n "${2:-100}" "$LOG_FILE" ;;
  *) echo "usage: $0 start|stop|status|env|logs [lines]" >&2; exit 2 ;;
esac
