#!/usr/bin/env bash
# ingest-benchmark.sh: how fast Loopwatch's daemon ingests a Claude home, next to ccusage, on the same
# files in the same run.
#
#   daemon/bench/ingest-benchmark.sh [--rounds 5] [--size-mb 120] [--seed 42] [--work DIR] [--keep]
#                                    [--timeout 600] [--daemon PATH]
#
# What it does:
#   1. Builds what is missing or stale: the daemon jar (mvn package), the corpus generator (test classes
#      of daemon/) and the test classpath it runs on.
#   2. Generates a synthetic Claude home once: WORK/corpus-<size>mb-seed<seed>/.claude (see
#      daemon/src/test/java/dev/loopwatch/bench/CorpusGenerator.java). It is reused by later runs with
#      the same size, seed and generator sources.
#   3. Installs ccusage@20.0.24 with npm into ${XDG_CACHE_HOME:-~/.cache}/loopwatch-bench/ccusage, once
#      (newer versions have no Linux binary in the registry this project can reach).
#   4. Runs ccusage once to check the corpus: its totals must be non-zero, and should equal the token
#      totals the generator counted (each API response once). This run also warms the page cache.
#   5. For R rounds, alternately:
#      a. ccusage:  HOME=<corpus> CLAUDE_CONFIG_DIR=<corpus>/.claude ccusage claude daily --offline --json
#         --timezone UTC. Wall time from our clock; peak RSS and CPU from GNU time.
#      b. java-floor: the least a backfill on our stack must do (TokenizeFloor in the bench classes): a
#         JVM on config/jvm.options reads every transcript line and runs Jackson's tokenizer over it on 2
#         threads, and exits. Wall time from our clock; peak RSS and CPU from GNU time.
#      c. loopwatchd: daemon/loopwatchd with a fresh state dir and HOME=<corpus>. Wall time runs from
#         process start to its "ingest caught up:" log line. Peak RSS (VmHWM) and CPU are read from
#         /proc/<pid> at that moment. Then SIGTERM.
#      All run under `env -i` with only the variables listed, so nothing in the caller's environment
#      (a real CLAUDE_CONFIG_DIR, XDG_* dirs) can point any of them at other data.
#   6. Prints medians (min–max) per tool: wall ms, MiB/s, lines/s, events/s (daemon), CPU s, peak RSS.
#
# Options:
#   --rounds N    measured rounds per tool (default 5)
#   --size-mb N   corpus size in MiB of transcripts (default 120)
#   --seed N      corpus seed (default 42)
#   --work DIR    work dir for the corpus and per-round state (default ${TMPDIR:-/tmp}/loopwatch-bench)
#   --keep        keep each round's daemon state dir and log (default: deleted after the round)
#   --timeout S   seconds to wait for the daemon's caught-up line (default 600)
#   --daemon PATH the launcher to measure (default <repo>/daemon/loopwatchd); it must exec java
#
# Notes:
#   * ccusage's npm launcher (node) only locates and spawns a native binary; we time that binary
#     directly, so node's start-up and memory do not count against ccusage.
#   * MiB = 2^20 bytes. "Corpus bytes" are the transcripts under .claude/projects (history.jsonl is
#     tiny and left out).
#   * On a 2-core machine, expect ±10–20 % noise between rounds; compare medians. Other work on the
#     machine inflates wall times much more than CPU seconds: the report shows the load average.
#   * Exit status: 0 when both tools were measured; 1 on a setup error; 2 when the daemon could not be
#     measured (launcher missing, no caught-up line, early exit); the ccusage numbers are still printed.
set -euo pipefail

CCUSAGE_VERSION=20.0.24

rounds=5 size_mb=120 seed=42 keep=0 timeout_s=600 launcher=""
work="${TMPDIR:-/tmp}/loopwatch-bench"

bench=ingest-benchmark
# shellcheck source=bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

while (($#)); do
  case $1 in
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *)
      common_option "rounds size-mb seed work timeout daemon keep" "$@"
      ((opt_shift)) || die "unknown option: $1 (see --help)"
      shift "$opt_shift"
      ;;
  esac
done
for n in "$rounds" "$size_mb" "$seed" "$timeout_s"; do
  [[ $n =~ ^[0-9]+$ ]] || die "not a whole number: $n"
done
((rounds >= 1 && size_mb >= 1)) || die "--rounds and --size-mb must be at least 1"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${launcher:=$repo/daemon/loopwatchd}"
for tool in java mvn node npm awk sha1sum; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

# ---- 1. build (only what is missing or older than its sources)

build_for_bench

# ---- 2. corpus (generated once per size, seed and generator version)

mkdir -p "$work"
corpus=$work/corpus-${size_mb}mb-seed${seed}
ensure_corpus "$corpus" "$size_mb"
prop() { sed -n "s/^$1=//p" "$corpus/corpus.properties"; }
corpus_bytes=$(prop bytes) corpus_files=$(prop files) corpus_lines=$(prop lines)

# ---- 3. ccusage (pinned, installed once) and GNU time

install_baseline_tools

# run_daemon also sets the daemon's caught-up line.
m_line=""

# ---- 4. check the corpus with ccusage

log "checking the corpus with ccusage (also warms the page cache)"
run_ccusage "$corpus" "$work/ccusage.json"
totals=$(node -e '
  const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).totals;
  console.log(JSON.stringify(t));' "$work/ccusage.json")
check=$(node -e '
  const t = JSON.parse(process.argv[1]);
  const want = {inputTokens: +process.argv[2], outputTokens: +process.argv[3],
                cacheCreationTokens: +process.argv[4], cacheReadTokens: +process.argv[5]};
  if (!(t.totalTokens > 0 && t.totalCost > 0)) { console.log("ZERO"); process.exit(); }
  const off = Object.keys(want).filter(k => t[k] !== want[k]);
  console.log(off.length ? "differs in " + off.join(", ") : "equal");' \
  "$totals" "$(prop inputTokens)" "$(prop outputTokens)" "$(prop cacheCreationTokens)" "$(prop cacheReadTokens)")
[[ $check != ZERO ]] || die "ccusage reported zero totals for $corpus: the corpus is not being read"

# ---- 5. the daemon, one round

find_java() { # the launcher execs java, so this is normally $1 itself; else a java descendant
  local child children
  [[ $(cat "/proc/$1/comm" 2>/dev/null) == java ]] && { echo "$1"; return 0; }
  read -ra children <<<"$(cat /proc/"$1"/task/*/children 2>/dev/null)"
  for child in "${children[@]}"; do
    find_java "$child" && return 0
  done
  return 1
}

trap cleanup EXIT
trap 'exit 130' INT TERM

daemon_error=""
# One daemon run on a fresh state dir. Sets m_*; on failure sets daemon_error and returns 1.
run_daemon() {
  round_dir=$(mktemp -d "$work/round-XXXXXX")
  mkdir -p "$round_dir/state" "$round_dir/config" "$round_dir/run"
  chmod 700 "$round_dir/run"
  local daemon_log=$round_dir/daemon.log caught=$round_dir/caught t0 t1 line fd
  mkfifo "$caught"
  # tee keeps the daemon's output in its log; grep hands the caught-up line to us through a fifo, so we
  # wake the moment it appears instead of polling the log (which would steal CPU on 2 cores). Not awk:
  # Debian's mawk block-buffers its input from a pipe.
  t0=$(now_us)
  env -i PATH="$PATH" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} LANG=C.UTF-8 HOME="$corpus" \
    XDG_STATE_HOME="$round_dir/state" XDG_CONFIG_HOME="$round_dir/config" XDG_RUNTIME_DIR="$round_dir/run" \
    "$launcher" > >(tee "$daemon_log" | grep --line-buffered -F 'ingest caught up:' >"$caught") 2>&1 &
  daemon_pid=$!
  exec {fd}<"$caught"
  local ok=1 read_status=0
  IFS= read -r -t "$timeout_s" -u "$fd" line || read_status=$?
  if ((read_status == 0)); then
    t1=$(now_us)
    local pid stat fields
    pid=$(find_java "$daemon_pid") || pid=$daemon_pid
    m_rss=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
    stat=$(<"/proc/$pid/stat")
    read -ra fields <<<"${stat##*) }" # the fields after "(comm)": utime and stime are the 12th and 13th
    m_cpu=$(awk -v u="${fields[11]}" -v s="${fields[12]}" -v t="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (u + s) / t }')
    m_wall=$((t1 - t0)) m_line=$line
  elif ((read_status > 128)); then
    ok=0 daemon_error="no 'ingest caught up:' line within ${timeout_s} s"
  elif kill -0 "$daemon_pid" 2>/dev/null; then
    ok=0 daemon_error="its output closed before it logged 'ingest caught up:'"
  else
    local status=0
    wait "$daemon_pid" || status=$?
    ok=0 daemon_pid="" daemon_error="exited with status $status before logging 'ingest caught up:'"
  fi
  stop_daemon
  exec {fd}<&- # only now: a reader must stay while the daemon can still write
  if ((!ok)); then
    daemon_error="$daemon_error; log $daemon_log ends with:"$'\n'"$(tail -n 20 "$daemon_log" 2>/dev/null)"
  fi
  if [[ $keep == 1 ]]; then echo "ingest-benchmark: kept $round_dir" >&2; else rm -rf -- "$round_dir"; fi
  round_dir=""
  return $((!ok))
}

# Value of key=value in the caught-up line, e.g. kv lines "…: files=3 lines=10 in 5 ms" → 10.
kv() { sed -n "s/.*ingest caught up:.*[[:space:]]$1=\([0-9][0-9]*\).*/\1/p" <<<"$2"; }

# ---- 6. rounds, alternating the tools

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cc_wall=() cc_rss=() cc_cpu=() f_wall=() f_rss=() f_cpu=() d_wall=() d_rss=() d_cpu=() d_lines=() d_events=() d_own=()
d_line=""
if [[ ! -x $launcher ]]; then
  daemon_error="launcher $launcher is missing or not executable (it comes with the daemon on the main branch)"
  log "loopwatchd: $daemon_error; measuring ccusage only, exit status will be 2"
fi
for ((r = 1; r <= rounds; r++)); do
  run_ccusage "$corpus" /dev/null
  cc_wall+=("$m_wall") cc_rss+=("$m_rss") cc_cpu+=("$m_cpu")
  log "round $r/$rounds: ccusage $((m_wall / 1000)) ms"
  run_floor "$corpus"
  f_wall+=("$m_wall") f_rss+=("$m_rss") f_cpu+=("$m_cpu")
  log "round $r/$rounds: java-floor $((m_wall / 1000)) ms"
  [[ -z $daemon_error ]] || continue
  if run_daemon; then
    d_line=$m_line
    d_wall+=("$m_wall") d_rss+=("$m_rss") d_cpu+=("$m_cpu")
    d_lines+=("$(kv lines "$d_line")") d_events+=("$(kv events "$d_line")")
    d_own+=("$(sed -n 's/.*ingest caught up:.* in \([0-9][0-9]*\) ms.*/\1/p' <<<"$d_line")")
    log "round $r/$rounds: loopwatchd $((m_wall / 1000)) ms"
  fi
done

# ---- 7. report

row() { # row NAME WALL_ARRAY RSS_ARRAY CPU_ARRAY LINES EVENTS (arrays by name); rates use the median wall
  local -n wall=$2 rss=$3 cpu=$4
  local med lo hi
  read -r med lo hi <<<"$(stats "${wall[@]}")"
  awk -v n="$1" -v med="$med" -v lo="$lo" -v hi="$hi" -v b="$corpus_bytes" -v l="$5" -v e="$6" \
      -v cpu="$(median "${cpu[@]}")" -v rss="$(median "${rss[@]}")" 'BEGIN {
    s = med / 1e6
    printf "%-11s %-26s %8.1f %11s %11s %7.2f %9.0f\n", n,
      sprintf("%.0f (%.0f-%.0f)", med / 1e3, lo / 1e3, hi / 1e3), b / 1048576 / s,
      l == "" ? "-" : sprintf("%.0f", l / s), e == "" ? "-" : sprintf("%.0f", e / s), cpu, rss / 1024 }'
}

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
echo
echo "Loopwatch ingest benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine : nproc=$(nproc) (${cpu_model:-unknown CPU}), $(uname -sr), $(java -version 2>&1 | head -n1)"
echo "load    : $load_before before the rounds, $(cut -d' ' -f1-3 /proc/loadavg) after (1/5/15-min averages; above 0.5 means other work competed)"
echo "ccusage : $("$ccusage" --version 2>/dev/null | head -n1) (npm ccusage@$CCUSAGE_VERSION, native binary)"
printf 'corpus  : %.1f MiB (%s bytes), %s files, %s lines, %s sessions, seed %s, %s\n' \
  "$(awk -v b="$corpus_bytes" 'BEGIN { print b / 1048576 }')" "$corpus_bytes" "$corpus_files" "$corpus_lines" \
  "$(prop sessions)" "$seed" "$corpus_note"
echo "          $corpus"
echo "generator: $(sed 's/^corpus: //' "$corpus/generator.txt" 2>/dev/null)"
echo "ccusage totals: $totals"
echo "generator expects (unique responses=$(prop responses)): input=$(prop inputTokens) output=$(prop outputTokens)" \
  "cacheCreation=$(prop cacheCreationTokens) cacheRead=$(prop cacheReadTokens) → ccusage $check"
echo
printf '%-11s %-26s %8s %11s %11s %7s %9s\n' tool "wall ms median (min-max)" "MiB/s" "lines/s" "events/s" "CPU s" "RSS MiB"
row ccusage cc_wall cc_rss cc_cpu "$corpus_lines" ""
row java-floor f_wall f_rss f_cpu "$corpus_lines" ""
if ((${#d_wall[@]})); then
  row loopwatchd d_wall d_rss d_cpu "$(median "${d_lines[@]}")" "$(median "${d_events[@]}")"
else
  printf '%-11s %s\n' loopwatchd "not measured"
fi
echo
echo "rounds: ${#cc_wall[@]} ccusage, ${#f_wall[@]} java-floor, ${#d_wall[@]} loopwatchd, alternating. Wall: ccusage and" \
  "java-floor start→exit; loopwatchd process start→'ingest caught up:'. lines/s for ccusage and java-floor use the corpus line count."
echo "java-floor: a JVM on the daemon's flags that reads and tokenizes every line with Jackson on 2 threads, and" \
  "nothing else (TokenizeFloor): no backfill on this stack can be faster. Its last line: $floor_line"
echo "RSS: peak (GNU time %M for ccusage, VmHWM for the JVM). CPU: user+sys seconds to exit / to caught-up."
if ((${#d_wall[@]})); then
  echo "loopwatchd's own ingest time (\"in N ms\"): median $(median "${d_own[@]}") ms; last line: ${d_line#*ingest caught up: }"
  d_files=$(kv files "$d_line") d_bytes=$(kv bytes "$d_line")
  if [[ -n $d_files && -n $d_bytes ]] && ((d_files < corpus_files || d_bytes < corpus_bytes)); then
    echo "WARNING: loopwatchd reports files=$d_files bytes=$d_bytes, less than the corpus ($corpus_files files, $corpus_bytes bytes)"
  fi
fi
if [[ -n $daemon_error ]]; then
  echo
  echo "loopwatchd: FAILED: $daemon_error" >&2
  exit 2
fi
