#!/usr/bin/env bash
# A real Apache Kafka broker (KRaft, single node: broker + controller in one JVM) for tests and CI.
#
#   bash .ci/services/kafka.sh start    fetch (once), format a fresh cluster, start, wait until it answers
#   bash .ci/services/kafka.sh status   exit 0: answers a metadata request, 1: process up but not answering, 3: not running
#   bash .ci/services/kafka.sh stop     stop it and delete its data (kept with KAFKA_KEEP_DATA=1)
#   bash .ci/services/kafka.sh logs     tail of the broker log
#
# Needs Java 17+ and Maven, and Maven Central only: Kafka is not downloaded as a release tarball
# (apache.org may be unreachable in CI) but assembled from the org.apache.kafka:kafka_2.13 jar and
# its runtime dependencies, which is exactly what the tarball's libs/ holds, plus a log4j2 backend.
#
# Settings (environment):
#   KAFKA_VERSION          Kafka release (default 4.2.0: the newest one @platformatic/kafka is tested on)
#   KAFKA_PORT             client listener on 127.0.0.1 (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener on 127.0.0.1 (default 9093)
#   KAFKA_HEAP_OPTS        JVM heap (default -Xms128m -Xmx512m: CI machines have 2 cores and share them)
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to answer (default 90)
#   KAFKA_KEEP_DATA        1: `stop` keeps the data directory and `start` restarts on it (same cluster,
#                          topics, messages and committed offsets) instead of formatting a fresh one;
#                          for fault tests that restart a broker. Default 0.
#   SLUICE_CACHE           download cache (default ~/.cache/sluice); jars go to kafka-<version>/libs
#   SLUICE_SERVICES_DIR    runtime state: config, data, log, pid (default ${TMPDIR:-/tmp}/sluice-services)
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-4.2.0}"
# log4j2 backend for Kafka's slf4j 1.7 logging; the kafka_2.13 POM ships only the slf4j API, so
# without these two jars the broker runs but logs nothing ("SLF4J: No SLF4J providers").
LOG4J_VERSION="${LOG4J_VERSION:-2.24.3}"
HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KEEP_DATA="${KAFKA_KEEP_DATA:-0}"

CACHE_DIR="${SLUICE_CACHE:-$HOME/.cache/sluice}/kafka-$KAFKA_VERSION"
LIBS_DIR="$CACHE_DIR/libs"
STATE_DIR="${SLUICE_SERVICES_DIR:-${TMPDIR:-/tmp}/sluice-services}/kafka-$PORT"
DATA_DIR="$STATE_DIR/data"
CONFIG_FILE="$STATE_DIR/server.properties"
LOG4J_FILE="$STATE_DIR/log4j2.properties"
LOG_FILE="$STATE_DIR/kafka.log"
PID_FILE="$STATE_DIR/kafka.pid"

say() { echo "[kafka] $*"; }
fail() {
  echo "[kafka] ERROR: $*" >&2
  exit 1
}
# For failures of the broker itself: its log says why.
fail_with_log() {
  echo "[kafka] ERROR: $*" >&2
  if [[ -f "$LOG_FILE" ]]; then
    # The cause is usually the first ERROR line; the tail alone is often the end of a stack trace.
    grep -m 3 -E '^\[[^]]*\] (ERROR|FATAL) ' "$LOG_FILE" | sed 's/^/[kafka] first error: /' >&2 || true
    echo "[kafka] --- last 40 lines of $LOG_FILE ---" >&2
    tail -n 40 "$LOG_FILE" >&2 || true
  fi
  exit 1
}

require_tools() {
  command -v java >/dev/null || fail "java not found: install a Java 17+ runtime (Debian: openjdk-17-jre-headless)"
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')"
  [[ -n "$major" && "$major" -ge 17 ]] || fail "Kafka $KAFKA_VERSION needs Java 17+, found '${major:-unknown}'"
}

# --- download (Maven Central only) -----------------------------------------------------------------

write_download_pom() {
  cat >"$1" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sluice.ci</groupId>
  <artifactId>kafka-broker-libs</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
  <build><plugins><plugin>
    <!-- Pinned: Maven 3.8's default dependency plugin (2.8) is a decade old. -->
    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version>
  </plugin></plugins></build>
</project>
EOF
}

fetch_kafka() {
  if [[ -f "$LIBS_DIR/.complete" ]]; then
    say "using cached Kafka $KAFKA_VERSION jars in $LIBS_DIR"
    return
  fi
  command -v mvn >/dev/null || fail "mvn not found: install Maven (Debian: maven) to fetch Kafka from Maven Central"
  say "fetching Kafka $KAFKA_VERSION and its runtime dependencies from Maven Central into $LIBS_DIR"
  mkdir -p "$CACHE_DIR"
  # Download into a scratch directory and rename at the end, so an interrupted download never
  # looks like a complete cache.
  local scratch
  scratch="$(mktemp -d "$CACHE_DIR/download.XXXXXX")"
  write_download_pom "$scratch/pom.xml"
  # -U: retry artifacts that an earlier failed (e.g. offline) run recorded as missing.
  if ! mvn -q -B -U -Dstyle.color=never -f "$scratch/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$scratch/libs" >"$scratch/mvn.log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$scratch/mvn.log" | grep -m 3 -E 'Failed to execute|Could not|not found' >&2 || tail -n 20 "$scratch/mvn.log" >&2
    rm -rf "$scratch"
    fail "Maven could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION (is Maven Central reachable, and does that version exist?)"
  fi
  touch "$scratch/libs/.complete"
  rm -rf "$LIBS_DIR"
  mv "$scratch/libs" "$LIBS_DIR"
  rm -rf "$scratch"
  say "fetched $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars"
}

# --- configuration -----------------------------------------------------------------------------------

write_config() {
  mkdir -p "$STATE_DIR"
  cat >"$CONFIG_FILE" <<EOF
# Single-node KRaft: this process is both the broker and the only controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR
num.partitions=1
# Internal topics must fit on one broker.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Consumers in tests join a group at once instead of waiting 3 s for more members.
group.initial.rebalance.delay.ms=0
# Topics are created explicitly (the Kafka EventLog does it at startup); auto-creation would
# hide a missing createTopics call.
auto.create.topics.enable=false
EOF
  # Kafka 4 logs through log4j2; properties format needs no extra jars (the YAML one needs Jackson YAML).
  cat >"$LOG4J_FILE" <<'EOF'
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.state.name = state.change.logger
logger.state.level = WARN
EOF
}

classpath() { printf '%s/*' "$LIBS_DIR"; }

java_opts() {
  # shellcheck disable=SC2086 # HEAP_OPTS holds several flags on purpose
  echo $HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J_FILE"
}

format_storage() {
  rm -rf "$DATA_DIR"
  # A Kafka cluster id is 16 random bytes in URL-safe base64 without padding; generated here
  # rather than with `kafka-storage random-uuid` to save a JVM start. A leading '-' would read as
  # a command-line flag, which is also why Kafka's own generator avoids it.
  local cluster_id="-"
  while [[ "$cluster_id" == -* ]]; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  done
  say "formatting $DATA_DIR (cluster id $cluster_id)"
  # shellcheck disable=SC2046
  java $(java_opts) -cp "$(classpath)" kafka.tools.StorageTool format \
      --cluster-id "$cluster_id" --config "$CONFIG_FILE" --ignore-formatted >"$LOG_FILE" 2>&1 \
    || fail_with_log "kafka-storage format failed"
}

# --- liveness ----------------------------------------------------------------------------------------

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  # The command line check guards against a stale pid file whose pid now belongs to another process.
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && ps -o args= -p "$pid" | grep -qF "kafka.Kafka $CONFIG_FILE" && echo "$pid"
}

# Sends a raw Kafka Metadata request (v4, all topics) and succeeds when the reply lists at least one
# broker: a port that merely accepts connections is not yet a broker that serves clients.
# Request: size=20 | api_key=3 | api_version=4 | correlation_id=1 | client_id="probe" | topics=null | auto_create=false
# Reply:   size | correlation_id | throttle_time_ms | broker count | ...
metadata_probe() {
  local reply
  # shellcheck disable=SC2016
  reply="$(timeout 5 bash -c '
      exec 3<>"/dev/tcp/$0/$1" || exit 1
      printf "\x00\x00\x00\x14\x00\x03\x00\x04\x00\x00\x00\x01\x00\x05probe\xff\xff\xff\xff\x00" >&3
      head -c 16 <&3 | od -An -tx1 -v' "$HOST" "$PORT" 2>/dev/null)" || return 1
  # shellcheck disable=SC2086
  set -- $reply
  [[ $# -eq 16 && "$5$6$7$8" == "00000001" ]] || return 1
  (( 16#${13}${14}${15}${16} >= 1 ))
}

port_free() { ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# --- commands ----------------------------------------------------------------------------------------

start() {
  require_tools
  if pid="$(running_pid)"; then
    if metadata_probe; then say "already running (pid $pid) on $HOST:$PORT"; return; fi
    fail_with_log "a broker process (pid $pid) exists but does not answer on $HOST:$PORT; run '$0 stop' first"
  fi
  port_free "$PORT" || fail "port $HOST:$PORT is already taken by another process (set KAFKA_PORT to use another one)"
  port_free "$CONTROLLER_PORT" ||
    fail "port $HOST:$CONTROLLER_PORT is already taken by another process (set KAFKA_CONTROLLER_PORT to use another one)"
  local started=$SECONDS
  fetch_kafka
  write_config
  if [[ "$KEEP_DATA" == 1 && -f "$DATA_DIR/meta.properties" ]]; then
    say "KAFKA_KEEP_DATA=1: restarting on the existing cluster in $DATA_DIR"
  else
    format_storage
  fi
  say "starting broker on $HOST:$PORT (controller $HOST:$CONTROLLER_PORT), log: $LOG_FILE"
  # setsid: the broker must outlive this script and not receive the caller's terminal signals.
  # shellcheck disable=SC2046
  setsid nohup java $(java_opts) -cp "$(classpath)" kafka.Kafka "$CONFIG_FILE" >>"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  local deadline=$((SECONDS + START_TIMEOUT))
  until metadata_probe; do
    running_pid >/dev/null || fail_with_log "the broker exited during startup"
    if ((SECONDS >= deadline)); then
      stop_quietly
      fail_with_log "the broker did not answer a metadata request within ${START_TIMEOUT}s"
    fi
    sleep 0.5
  done
  say "ready on $HOST:$PORT after $((SECONDS - started))s (pid $(cat "$PID_FILE")); export KAFKA_BROKERS=$HOST:$PORT"
}

stop_quietly() {
  local pid
  if pid="$(running_pid)"; then
    kill -TERM "$pid" 2>/dev/null || true
    # A clean shutdown takes a few seconds; do not wait forever for a wedged JVM.
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "broker did not stop within 30s; killing pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$PID_FILE"
  [[ "$KEEP_DATA" == 1 ]] || rm -rf "$DATA_DIR"
}

stop() {
  if pid="$(running_pid)"; then say "stopping broker (pid $pid)"; else say "no broker running"; fi
  stop_quietly
  if [[ "$KEEP_DATA" == 1 ]]; then say "stopped; data kept ($DATA_DIR)"; else say "stopped; data deleted ($DATA_DIR)"; fi
}

status() {
  if pid="$(running_pid)"; then
    if metadata_probe; then say "running (pid $pid), answering on $HOST:$PORT"; return 0; fi
    say "process $pid is alive but $HOST:$PORT does not answer a metadata request"; return 1
  fi
  say "not running"
  return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  logs) tail -n "${2:-100}" "$LOG_FILE" ;;
  *) echo "usage: $0 start|stop|status|logs [lines]" >&2; exit 2 ;;
esac
