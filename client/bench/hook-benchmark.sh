#!/usr/bin/env bash
# hook-benchmark.sh: how long Claude Code waits for `loopwatch hook` on SessionStart, next to a bare JVM
# that asks the same daemon one line. DESIGN §15: at most 1.5 times the bare JVM's wall time.
#
#   client/bench/hook-benchmark.sh [--runs 30] [--warmup 3] [--socket PATH] [--work DIR] [--keep]
#                                  [--timeout 120]
#
# What it does:
#   1. Builds what is missing: the client jar and its AppCDS archive (mvn package of protocol and
#      client); daemon/loopwatchd builds the daemon's jar itself when it is missing.
#   2. Compiles client/bench/BareClient.java into WORK/bare with javac.
#   3. Starts a real daemon, daemon/loopwatchd, under `env -i` with HOME, XDG_CONFIG_HOME,
#      XDG_STATE_HOME, XDG_CACHE_HOME and XDG_RUNTIME_DIR all inside WORK (an empty Claude home, so
#      nothing of the caller's is read), and waits for "loopwatchd ready" in its log (--timeout) and then
#      for its socket, WORK/run/loopwatch/loopwatch.sock (15 s more at most). With --socket PATH it uses
#      the daemon already listening there.
#   4. Checks that the daemon answers ping (BareClient --print). If it does not, the script stops:
#      nothing can be measured against a daemon that does not answer.
#   5. WARMUP unmeasured rounds, then RUNS rounds, each running, one after the other:
#        a. client/loopwatch hook < a SessionStart payload   (the launcher, JVM flags, archive: as installed)
#        b. java -cp WORK/bare BareClient SOCKET               (plain `java`, default flags)
#      Both run under the same `env -i` environment as the daemon; wall time from bash's EPOCHREALTIME
#      (no fork for the clock) around each command.
#   6. Prints median and p90 wall ms of each, and the ratio of the medians (target: at most 1.5), and
#      the load average before and after (other work on the machine inflates wall times).
#
# Options:
#   --runs N       measured rounds (default 30)
#   --warmup N     unmeasured rounds first (default 3)
#   --socket PATH  measure against the daemon listening on PATH instead of starting one
#   --work DIR     work directory (default: a new one under ${TMPDIR:-/tmp}); kept with --keep
#   --keep         keep WORK (the daemon's log, the payload, the raw timings)
#   --timeout S    seconds to wait for the daemon's ready line, its build included (default 120)
#
# Notes:
#   * A hook that the daemon answers with an error (say, a daemon without the hook op yet) still makes
#     the round trip and is measured; the script says so.
#   * The hook's own deadline (1 s for SessionStart) bounds it; a run that hits it is a slow daemon, and
#     shows in p90.
#   * On a 2-core machine with other work running, expect ±20 % between runs of the script; the rounds
#     alternate so that both sides see the same load.
#
# Exit status: 0 measured (whether or not within the target: read the verdict line); 1 setup error;
# 2 the daemon did not start, has no socket, or does not answer ping.
set -euo pipefail

runs=30 warmup=3 socket="" work="" keep=0 timeout_s=120

die() { echo "hook-benchmark: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }

while (($#)); do
  case $1 in
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --warmup) warmup=${2:?--warmup needs a value}; shift 2 ;;
    --socket) socket=${2:?--socket needs a value}; shift 2 ;;
    --work) work=${2:?--work needs a value}; shift 2 ;;
    --keep) keep=1; shift ;;
    --timeout) timeout_s=${2:?--timeout needs a value}; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (--help lists them)" ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs needs a whole number of at least 1"
[[ $warmup =~ ^[0-9]+$ ]] || die "--warmup needs a whole number"
if ((BASH_VERSINFO[0] < 5)); then die "needs bash 5 (EPOCHREALTIME)"; fi

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd -P)"
launcher="$repo/client/loopwatch"
daemon_launcher="$repo/daemon/loopwatchd"
command -v java >/dev/null || die "no java on PATH"
command -v javac >/dev/null || die "no javac on PATH (a JDK is needed)"

if [ -z "$work" ]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/loopwatch-hook-bench.XXXXXX")"
else
  mkdir -p "$work"
  work="$(cd "$work" && pwd -P)"
fi
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -TERM "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" 2>/dev/null || true
  fi
  if ((keep)); then echo "== kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# 1. the client, built with its archive
if [ ! -f "$repo/client/target/loopwatch-client.jar" ] || [ ! -f "$repo/client/target/loopwatch-client.jsa" ]; then
  log "building the client: mvn -q -B -DskipTests package -pl client -am"
  (cd "$repo" && mvn -q -B -DskipTests package -pl client -am) >&2 || die "the client build failed"
fi

# 2. the yardstick
mkdir -p "$work/bare"
javac -d "$work/bare" "$repo/client/bench/BareClient.java" || die "javac BareClient.java failed"

# The one environment of the daemon and both clients: nothing of the caller's leaks in.
mkdir -p "$work/home/.claude" "$work/config" "$work/state" "$work/cache" "$work/run" "$work/project"
chmod 700 "$work/run"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
clean_env=(env -i "PATH=$PATH" "JAVA_HOME=$java_home" "HOME=$work/home" "XDG_CONFIG_HOME=$work/config"
  "XDG_STATE_HOME=$work/state" "XDG_CACHE_HOME=$work/cache" "XDG_RUNTIME_DIR=$work/run" "LANG=C.UTF-8" "TZ=UTC")

# 3. the daemon
if [ -z "$socket" ]; then
  socket="$work/run/loopwatch/loopwatch.sock"
  [ -x "$daemon_launcher" ] || die "no daemon launcher at $daemon_launcher"
  log "starting the daemon: $daemon_launcher (log: $work/daemon.log)"
  "${clean_env[@]}" "$daemon_launcher" >"$work/daemon.log" 2>&1 </dev/null &
  daemon_pid=$!
  deadline=$((SECONDS + timeout_s))
  until grep -q "loopwatchd ready" "$work/daemon.log" 2>/dev/null; do
    if ! kill -0 "$daemon_pid" 2>/dev/null; then
      tail -n 20 "$work/daemon.log" >&2 || true
      echo "hook-benchmark: the daemon exited before it was ready (log above)" >&2
      exit 2
    fi
    if ((SECONDS >= deadline)); then
      echo "hook-benchmark: no 'loopwatchd ready' in the daemon's log after ${timeout_s}s" >&2
      exit 2
    fi
    sleep 0.1
  done
  # Ready means listening: give the socket a few seconds more at most.
  socket_deadline=$((SECONDS + 15))
  until [ -S "$socket" ]; do
    if ((SECONDS >= socket_deadline)) || ! kill -0 "$daemon_pid" 2>/dev/null; then
      echo "hook-benchmark: the daemon is ready but there is no socket at $socket after 15 s." >&2
      echo "hook-benchmark: does this build of the daemon have its socket server yet? (log: $work/daemon.log)" >&2
      keep=1
      exit 2
    fi
    sleep 0.1
  done
fi

# 4. does it answer?
if ! answer="$("${clean_env[@]}" java -cp "$work/bare" BareClient "$socket" --print 2>&1)"; then
  echo "hook-benchmark: the daemon at $socket does not answer ping: ${answer%%$'\n'*}" >&2
  exit 2
fi
log "daemon at $socket: $answer"

payload="$work/session-start.json"
cat >"$payload" <<JSON
{"session_id":"00893aaf-19fa-41d2-8238-13269b9b3ca0","transcript_path":"$work/home/.claude/projects/-bench/00893aaf-19fa-41d2-8238-13269b9b3ca0.jsonl","cwd":"$work/project","hook_event_name":"SessionStart","source":"startup","model":"claude-sonnet-4-5"}
JSON

# One timed run: sets ms (wall, milliseconds with one decimal); stdout and stderr to files.
ms=""
timed() {
  local out=$1 err=$2 input=$3
  shift 3
  local t0=$EPOCHREALTIME
  "$@" <"$input" >"$out" 2>"$err" || true
  local t1=$EPOCHREALTIME
  ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
}
hook_cmd=("${clean_env[@]}" "LOOPWATCH_SOCKET=$socket" "$launcher" hook)
bare_cmd=("${clean_env[@]}" java -cp "$work/bare" BareClient "$socket")

# 5. warm-up, then the measured rounds, alternating
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 0; i < warmup; i++)); do
  timed "$work/hook.out" "$work/hook.err" "$payload" "${hook_cmd[@]}"
  timed "$work/bare.out" "$work/bare.err" /dev/null "${bare_cmd[@]}"
done
: >"$work/hook.ms"
: >"$work/bare.ms"
for ((i = 0; i < runs; i++)); do
  timed "$work/hook.out" "$work/hook.err" "$payload" "${hook_cmd[@]}"
  echo "$ms" >>"$work/hook.ms"
  timed "$work/bare.out" "$work/bare.err" /dev/null "${bare_cmd[@]}"
  echo "$ms" >>"$work/bare.ms"
done
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -s "$work/hook.err" ]; then
  log "the hook's stderr (last run): $(head -c 300 "$work/hook.err")"
fi
if [ -s "$work/hook.out" ]; then
  log "the hook's context (last run): $(head -c 300 "$work/hook.out")"
else
  log "the hook printed no context (the daemon had none, or answered an error: see its stderr above)"
fi

# 6. the numbers
stats() { # file -> "median p90 min max"
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    p90 = int(NR * 0.9 + 0.999999); if (p90 < 1) p90 = 1
    if (NR % 2) med = v[(NR + 1) / 2]; else med = (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.1f %.1f %.1f %.1f\n", med, v[p90], v[1], v[NR] }'
}
read -r hook_med hook_p90 hook_min hook_max < <(stats "$work/hook.ms")
read -r bare_med bare_p90 bare_min bare_max < <(stats "$work/bare.ms")
ratio=$(awk -v h="$hook_med" -v b="$bare_med" 'BEGIN { printf "%.2f", h / b }')
printf '\n%-44s %10s %10s %10s %10s\n' "wall ms, $runs runs each (alternating)" median p90 min max
printf '%-44s %10s %10s %10s %10s\n' "loopwatch hook (SessionStart)" "$hook_med" "$hook_p90" "$hook_min" "$hook_max"
printf '%-44s %10s %10s %10s %10s\n' "bare JVM: connect, ping, read, exit" "$bare_med" "$bare_p90" "$bare_min" "$bare_max"
if awk -v r="$ratio" 'BEGIN { exit !(r <= 1.5) }'; then
  echo "ratio of medians: ${ratio}x (target: at most 1.5x): within target"
else
  echo "ratio of medians: ${ratio}x (target: at most 1.5x): OVER target"
fi
