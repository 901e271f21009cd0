#!/usr/bin/env bash
# live-benchmark.sh: how long a line Claude Code appends takes to become visible to queries (DESIGN §15:
# within 250 ms, p99), measured against the real daemon, the real file watcher and the real socket.
#
#   daemon/bench/live-benchmark.sh [--lines 300] [--interval-ms 100] [--history-mb 120]
#                                  [--long-session 20000] [--seed 42] [--work DIR] [--keep] [--daemon PATH]
#
# What it does, for two histories: none, and the generated corpus of --history-mb MiB (0 skips it):
#   1. Builds what is missing or stale (the daemon jar, the bench classes), and generates the corpus once
#      (shared with ingest-benchmark.sh and store-benchmark.sh).
#   2. Starts daemon/loopwatchd on a fresh state dir, watching a fresh Claude home holding one session
#      (plus the corpus, through CLAUDE_CONFIG_DIR=<corpus>/.claude,<live>/.claude), and waits for
#      "store caught up".
#   3. Runs dev.loopwatch.bench.LiveLatency (daemon/src/test/java): it appends --lines API responses
#      (each a Bash call and the user line with its result) to the session's transcript, --interval-ms
#      apart (±50 %), first one at a time, then in bursts of
#      5 (a turn with several responses), and after each write asks {"op":"cost"} every millisecond
#      until the totals include it. Latency: from the write's return to the answer that includes it.
#      With no history, a third run first grows the session by --long-session lines (0 skips it):
#      a session's counters and outcome are recomputed from all its rows whenever it grows.
#   4. Prints p50/p90/p99/max per history and burst size, and how many rounds took over 250 ms.
#
# Options: --daemon PATH measures another launcher (e.g. an older checkout's daemon/loopwatchd).
#
# Notes:
#   * The poller and the daemon share this machine's cores; the poller sleeps 1 ms between questions.
#   * Exit status: 0 when every run was measured, 1 on a setup error, 2 when a line never became visible.
set -euo pipefail

launcher="" lines=300 interval_ms=100 history_mb=120 long_session=20000 seed=42 keep=0
work="${TMPDIR:-/tmp}/loopwatch-bench"

bench=live-benchmark
# shellcheck source=bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

while (($#)); do
  case $1 in
    --lines) lines=${2:?--lines needs a value}; shift 2 ;;
    --interval-ms) interval_ms=${2:?--interval-ms needs a value}; shift 2 ;;
    --history-mb) history_mb=${2:?--history-mb needs a value}; shift 2 ;;
    --long-session) long_session=${2:?--long-session needs a value}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *)
      common_option "seed work daemon keep" "$@"
      ((opt_shift)) || die "unknown option: $1 (see --help)"
      shift "$opt_shift"
      ;;
  esac
done
for n in "$lines" "$interval_ms" "$history_mb" "$long_session" "$seed"; do
  [[ $n =~ ^[0-9]+$ ]] || die "not a whole number: $n"
done
((lines >= 1)) || die "--lines must be at least 1"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${launcher:=$repo/daemon/loopwatchd}"
[[ -x $launcher ]] || die "launcher $launcher is missing or not executable"
for tool in java mvn; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

build_for_bench
mkdir -p "$work"
corpus=""
if ((history_mb > 0)); then
  corpus=$work/corpus-${history_mb}mb-seed${seed}
  ensure_corpus "$corpus" "$history_mb"
fi

round_dir="" daemon_pid=""
cleanup() {
  if [[ -n $daemon_pid ]]; then kill -TERM "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
  if [[ -n $round_dir && $keep != 1 ]]; then rm -rf -- "$round_dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

results=()
failed=0
# measure HISTORY_LABEL PREFILL CLAUDE_HOMES...: one daemon; LiveLatency with single lines, with bursts of
# 5 and, when PREFILL > 0, single lines again after growing the session by PREFILL lines.
measure() {
  local label=$1 prefill=$2; shift 2
  round_dir=$(mktemp -d "$work/live-XXXXXX")
  local home=$round_dir/home project=$round_dir/project
  session=5e1f0000-0000-4000-8000-000000000001
  mkdir -p "$round_dir/state" "$round_dir/config" "$round_dir/run" "$project"
  chmod 700 "$round_dir/run"
  local dir=$home/.claude/projects/${project//\//-}
  mkdir -p "$dir"
  local transcript=$dir/$session.jsonl
  printf '{"type":"user","sessionId":"%s","cwd":"%s","uuid":"00000000-0000-4000-8000-100000000000","timestamp":"%s","message":{"role":"user","content":"start"}}\n' \
    "$session" "$project" "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)" >"$transcript"
  local homes=$home/.claude
  for h in "$@"; do homes="$h,$homes"; done
  env -i PATH="$PATH" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} LANG=C.UTF-8 HOME="$home" CLAUDE_CONFIG_DIR="$homes" \
    XDG_STATE_HOME="$round_dir/state" XDG_CONFIG_HOME="$round_dir/config" XDG_RUNTIME_DIR="$round_dir/run" \
    "$launcher" >"$round_dir/daemon.log" 2>&1 &
  daemon_pid=$!
  local waited=0
  until grep -q 'store caught up:' "$round_dir/daemon.log"; do
    kill -0 "$daemon_pid" 2>/dev/null || die "the daemon exited: $(tail -n 20 "$round_dir/daemon.log")"
    ((waited++ < 6000)) || die "no 'store caught up' within 600 s"
    sleep 0.1
  done
  log "$label: daemon caught up ($(sed -n 's/.*store caught up: //p' "$round_dir/daemon.log" | head -n1))"
  local run burst fill out runs=("1 0" "5 0")
  ((prefill == 0)) || runs+=("1 $prefill")
  for run in "${runs[@]}"; do
    read -r burst fill <<<"$run"
    local what=$label
    ((fill == 0)) || what="$label, +$fill-line session"
    if out=$(java -cp "$bench_cp" dev.loopwatch.bench.LiveLatency --socket "$round_dir/run/loopwatch/loopwatch.sock" \
      --file "$transcript" --session "$session" --cwd "$project" --lines "$lines" --interval-ms "$interval_ms" \
      --burst "$burst" --prefill "$fill" --tools true 2>&1); then
      results+=("$(printf '%-34s %-6s %s' "$what" "$burst" "$(tr '\n' ' ' <<<"$out")")")
      log "$what, bursts of $burst: $(tr '\n' ' ' <<<"$out")"
    else
      failed=1
      results+=("$(printf '%-34s %-6s FAILED: %s' "$what" "$burst" "$out")")
    fi
  done
  kill -TERM "$daemon_pid"
  wait "$daemon_pid" || true
  daemon_pid=""
  if [[ $keep == 1 ]]; then echo "$bench: kept $round_dir" >&2; else rm -rf -- "$round_dir"; fi
  round_dir=""
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
measure "no history" "$long_session"
if [[ -n $corpus ]]; then
  measure "${history_mb} MiB history" 0 "$corpus/.claude"
fi

echo
echo "Loopwatch live benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine : nproc=$(nproc) ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1 | cut -d' ' -f1-2)), $(uname -sr), $(java -version 2>&1 | head -n1)"
echo "load    : $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after (1/5/15-min averages)"
echo "rounds  : $lines lines per run, ${interval_ms} ms apart (±50 %); latency = write returned → cost answer includes it"
echo "bar     : 250 ms at p99 (DESIGN §15)"
echo "daemon  : $launcher"
echo
printf '%-34s %-6s %s\n' "history" "burst" "result"
printf '%s\n' "${results[@]}"
exit $((failed ? 2 : 0))
