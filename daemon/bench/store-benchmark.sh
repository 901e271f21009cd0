#!/usr/bin/env bash
# store-benchmark.sh: files → queryable totals, end to end. How long Loopwatch's daemon takes from a
# cold start on a Claude home to totals it can answer (ingested, journaled AND projected into the store),
# next to ccusage scanning the same files in the same run; then how fast a totals query is on that
# history and on SCALE times that history.
#
#   daemon/bench/store-benchmark.sh [--rounds 3] [--size-mb 120] [--scale 10] [--requests 50] [--seed 42]
#                                   [--work DIR] [--keep] [--timeout 1800]
#
# What it does:
#   1. Builds what is missing or stale: the daemon jar (mvn package), the bench classes (test classes of
#      daemon/: the corpus generator and QueryTimer) and the test classpath they run on.
#   2. Generates two synthetic Claude homes once (daemon/src/test/java/dev/loopwatch/bench/CorpusGenerator):
#      - 1x:  WORK/corpus-<size>mb-seed<seed>, the same corpus (and directory) ingest-benchmark.sh uses;
#      - Sx:  WORK/corpus-lean-<size*scale>mb-seed<seed>, made with --lean: SCALE times the sessions and
#             API requests, with tool outputs cut to 100 characters, so SCALE times the history is not
#             SCALE times the bytes (corpus.properties of each says what it holds; printed below).
#   3. Installs ccusage@20.0.24 with npm into ${XDG_CACHE_HOME:-~/.cache}/loopwatch-bench/ccusage, once
#      (as ingest-benchmark.sh does; the same copy is shared).
#   4. For R rounds, alternately, on the 1x corpus:
#      a. ccusage: HOME=<corpus> CLAUDE_CONFIG_DIR=<corpus>/.claude ccusage claude daily --offline --json
#         --timezone UTC; wall time from our clock, peak RSS and CPU from GNU time.
#      b. java-floor: a JVM on config/jvm.options that reads every transcript line and runs Jackson's
#         tokenizer over it on 2 threads, and exits (TokenizeFloor, as in ingest-benchmark.sh): the least
#         any backfill on our stack must do.
#      c. loopwatchd: daemon/loopwatchd with a fresh state dir and HOME=<corpus>; wall time from process
#         start to its "store caught up:" log line (every file read, journaled and projected: totals are
#         queryable and exact from then on). Peak RSS (VmHWM) and CPU from /proc at that moment. Then its
#         totals ({"op":"cost","args":{}}) are checked against ccusage's for the same files (tokens exact,
#         cost to 1e-6 $) and against the generator's token counts; in the last round QueryTimer times the
#         queries (step 6). Then SIGTERM.
#      All run under `env -i` with only the variables listed.
#   5. The Sx corpus: one loopwatchd run, fresh state, to "store caught up:" (its time is printed too, for
#      scale; no ccusage run), totals checked against the generator's.
#   6. Query times, 1x and Sx side by side: QueryTimer (dev.loopwatch.bench.QueryTimer), ONE JVM on ONE
#      socket connection (so neither JVM start-up nor connecting is measured), 5 untimed warm-up rounds,
#      then N rounds of {"op":"cost","args":{}} and {"op":"cost","args":{"by":"day"}}, alternating, each
#      timed from the request's first byte to the answer's newline; median and p90 in ms. The daemon's
#      RSS (VmRSS) before and after the queries, and its peak (VmHWM), are printed.
#
# Options:
#   --rounds N     measured rounds per tool on the 1x corpus (default 3)
#   --size-mb N    1x corpus size in MiB of transcripts (default 120, at least 100 for the README's claim)
#   --scale N      history multiplier of the second corpus (default 10)
#   --requests N   timed requests per query (default 50)
#   --seed N       corpus seed (default 42)
#   --work DIR     work dir for the corpora and per-round state (default ${TMPDIR:-/tmp}/loopwatch-bench,
#                  shared with ingest-benchmark.sh)
#   --keep         keep each run's daemon state dir and log (default: deleted after the run)
#   --timeout S    seconds to wait for a daemon's "store caught up:" line (default 1800)
#   --daemon PATH  the launcher to measure (default <repo>/daemon/loopwatchd); it must exec java
#
# Notes:
#   * ccusage's npm launcher (node) only locates and spawns a native binary; we time that binary directly.
#   * MiB = 2^20 bytes; "corpus bytes" are the transcripts under .claude/projects.
#   * On a loaded 2-core machine expect ±10–20 % noise between rounds (more for the daemon, which runs
#     several threads): compare medians; the report shows the load average before and after.
#   * The Sx corpus takes a while to generate and to ingest (a few minutes on 2 cores); it is generated
#     once and reused.
#   * Exit status: 0 when everything was measured and every totals check passed; 1 on a setup error; 2 when
#     a daemon run failed; 3 when a totals check failed (the numbers are still printed).
set -euo pipefail

CCUSAGE_VERSION=20.0.24

rounds=3 size_mb=120 scale=10 requests=50 seed=42 keep=0 timeout_s=1800 launcher=""
work="${TMPDIR:-/tmp}/loopwatch-bench"

bench=store-benchmark
stop_grace=30 # a 10x store may take longer to close than the 10 s contract of a normal one
# shellcheck source=bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

while (($#)); do
  case $1 in
    --scale) scale=${2:?--scale needs a value}; shift 2 ;;
    --requests) requests=${2:?--requests needs a value}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *)
      common_option "rounds size-mb seed work timeout daemon keep" "$@"
      ((opt_shift)) || die "unknown option: $1 (see --help)"
      shift "$opt_shift"
      ;;
  esac
done
for n in "$rounds" "$size_mb" "$scale" "$requests" "$seed" "$timeout_s"; do
  [[ $n =~ ^[0-9]+$ ]] || die "not a whole number: $n"
done
((rounds >= 1 && size_mb >= 1 && scale >= 1 && requests >= 1)) || die "--rounds, --size-mb, --scale and --requests must be at least 1"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${launcher:=$repo/daemon/loopwatchd}"
for tool in java mvn node npm awk sha1sum mkfifo; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

# ---- 1. build (only what is missing or older than its sources)

build_for_bench

# ---- 2. corpora (generated once per size, seed, leanness and generator version)

mkdir -p "$work"
# The 1x corpus is the one ingest-benchmark.sh uses (same directory, same stamp).
corpus1=$work/corpus-${size_mb}mb-seed${seed}
corpus10=$work/corpus-lean-$((size_mb * scale))mb-seed${seed}
ensure_corpus "$corpus1" "$size_mb"
note1=$corpus_note
ensure_corpus "$corpus10" "$((size_mb * scale))" --lean
note10=$corpus_note
prop() { sed -n "s/^$2=//p" "$1/corpus.properties"; }

# ---- 3. ccusage (pinned, installed once) and GNU time

install_baseline_tools

# run_daemon also sets the daemon's caught-up line and the "in N ms" of its "ingest caught up:" line
# (files read and journaled, before the store caught up).
m_line="" m_ingest=""

# ---- 4. the daemon: one run to "store caught up:", then queries, then SIGTERM

trap cleanup EXIT
trap 'exit 130' INT TERM

proc_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; } # proc_kb PID VmRSS

daemon_error=""
# run_daemon CORPUS QUERY_REQUESTS: a fresh state dir; sets m_* at "store caught up:", then runs QueryTimer
# (QUERY_REQUESTS timed rounds, 0 for the totals only) into q_out, and the RSS before/after it into
# q_rss_before/q_rss_after. On failure sets daemon_error and returns 1.
q_out="" q_rss_before=0 q_rss_after=0 q_hwm_after=0
run_daemon() {
  local corpus=$1 nreq=$2
  round_dir=$(mktemp -d "$work/store-round-XXXXXX")
  mkdir -p "$round_dir/state" "$round_dir/config" "$round_dir/run"
  chmod 700 "$round_dir/run"
  local daemon_log=$round_dir/daemon.log caught=$round_dir/caught t0 t1 line fd socket
  socket=$round_dir/run/loopwatch/loopwatch.sock
  mkfifo "$caught"
  t0=$(now_us)
  env -i PATH="$PATH" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} LANG=C.UTF-8 HOME="$corpus" \
    XDG_STATE_HOME="$round_dir/state" XDG_CONFIG_HOME="$round_dir/config" XDG_RUNTIME_DIR="$round_dir/run" \
    "$launcher" > >(tee "$daemon_log" | grep --line-buffered -F 'store caught up:' >"$caught") 2>&1 &
  daemon_pid=$!
  exec {fd}<"$caught"
  local ok=1 read_status=0
  IFS= read -r -t "$timeout_s" -u "$fd" line || read_status=$?
  if ((read_status == 0)); then
    t1=$(now_us)
    local stat fields
    m_rss=$(proc_kb "$daemon_pid" VmHWM)
    stat=$(<"/proc/$daemon_pid/stat")
    read -ra fields <<<"${stat##*) }" # after "(comm)": utime and stime are the 12th and 13th fields
    m_cpu=$(awk -v u="${fields[11]}" -v s="${fields[12]}" -v t="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (u + s) / t }')
    m_wall=$((t1 - t0)) m_line=$line
    m_ingest=$(grep -m1 -F 'ingest caught up:' "$daemon_log" | sed -n 's/.* in \([0-9][0-9]*\) ms.*/\1/p')
    q_rss_before=$(proc_kb "$daemon_pid" VmRSS)
    local qargs=(--requests 1 --warmup 0)
    ((nreq == 0)) || qargs=(--requests "$nreq" --warmup 5)
    if ! q_out=$(java -cp "$bench_cp" dev.loopwatch.bench.QueryTimer --socket "$socket" "${qargs[@]}" 2>&1); then
      ok=0 daemon_error="QueryTimer failed: $q_out"
    fi
    q_rss_after=$(proc_kb "$daemon_pid" VmRSS)
    q_hwm_after=$(proc_kb "$daemon_pid" VmHWM)
  elif ((read_status > 128)); then
    ok=0 daemon_error="no 'store caught up:' line within ${timeout_s} s"
  elif kill -0 "$daemon_pid" 2>/dev/null; then
    ok=0 daemon_error="its output closed before it logged 'store caught up:'"
  else
    local status=0
    wait "$daemon_pid" || status=$?
    ok=0 daemon_pid="" daemon_error="exited with status $status before logging 'store caught up:'"
  fi
  stop_daemon
  exec {fd}<&-
  if ((!ok)); then
    daemon_error="$daemon_error; log $daemon_log ends with:"$'\n'"$(tail -n 20 "$daemon_log" 2>/dev/null)"
  fi
  if [[ $keep == 1 ]]; then echo "store-benchmark: kept $round_dir" >&2; else rm -rf -- "$round_dir"; fi
  round_dir=""
  return $((!ok))
}

qv() { sed -n "s/^query=$1 .*[[:space:]]$2=\([0-9.]*\).*/\1/p" <<<"$3"; } # qv QUERY KEY OUTPUT
totals_of() { sed -n 's/^totals=//p' <<<"$1"; }
# kv KEY LINE: value of key=value in a caught-up line
kv() { sed -n "s/.*caught up:.*[[:space:]]$1=\([0-9][0-9]*\).*/\1/p" <<<"$2"; }

# Compares two totals JSON objects (ccusage's field names): tokens exactly, cost to 1e-6 $.
compare_totals() { # compare_totals A_JSON B_JSON → "equal" or "differs in …"
  node -e '
    const a = JSON.parse(process.argv[1]), b = JSON.parse(process.argv[2]);
    const keys = ["inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "totalTokens"];
    const off = keys.filter(k => Number(a[k]) !== Number(b[k]));
    const dc = Math.abs(Number(a.totalCost) - Number(b.totalCost));
    if (dc > 1e-6) off.push("totalCost (|diff| " + dc.toExponential(2) + " $)");
    console.log(off.length ? "differs in " + off.join(", ") : "equal");' "$1" "$2"
}
# Compares totals with the generator's token counts of a corpus.
compare_generator() { # compare_generator JSON CORPUS_DIR
  node -e '
    const t = JSON.parse(process.argv[1]);
    const want = {inputTokens: +process.argv[2], outputTokens: +process.argv[3],
                  cacheCreationTokens: +process.argv[4], cacheReadTokens: +process.argv[5]};
    const off = Object.keys(want).filter(k => Number(t[k]) !== want[k]);
    console.log(off.length ? "differs in " + off.join(", ") : "equal");' \
    "$1" "$(prop "$2" inputTokens)" "$(prop "$2" outputTokens)" "$(prop "$2" cacheCreationTokens)" "$(prop "$2" cacheReadTokens)"
}

# ---- 5. rounds on the 1x corpus, alternating the tools

log "checking the 1x corpus with ccusage (also warms the page cache)"
run_ccusage "$corpus1" "$work/ccusage.json"
cc_totals=$(node -e 'console.log(JSON.stringify(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).totals))' "$work/ccusage.json")

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cc_wall=() cc_rss=() cc_cpu=() f_wall=() f_rss=() f_cpu=() d_wall=() d_rss=() d_cpu=() d_events=() d_own=() d_ingest=()
checks_failed=0 d_totals="" d_vs_cc="" d_vs_gen=""
q1="" q1_rss_before=0 q1_rss_after=0 q1_hwm=0 d_line=""
for ((r = 1; r <= rounds; r++)); do
  run_ccusage "$corpus1" /dev/null
  cc_wall+=("$m_wall") cc_rss+=("$m_rss") cc_cpu+=("$m_cpu")
  log "round $r/$rounds: ccusage $((m_wall / 1000)) ms"
  run_floor "$corpus1"
  f_wall+=("$m_wall") f_rss+=("$m_rss") f_cpu+=("$m_cpu")
  log "round $r/$rounds: java-floor $((m_wall / 1000)) ms"
  [[ -z $daemon_error ]] || continue
  nreq=0
  ((r < rounds)) || nreq=$requests
  if run_daemon "$corpus1" "$nreq"; then
    d_line=$m_line
    d_wall+=("$m_wall") d_rss+=("$m_rss") d_cpu+=("$m_cpu") d_events+=("$(kv events "$d_line")")
    d_own+=("$(sed -n 's/.*store caught up:.* in \([0-9][0-9]*\) ms.*/\1/p' <<<"$d_line")")
    [[ -z $m_ingest ]] || d_ingest+=("$m_ingest")
    d_totals=$(totals_of "$q_out")
    d_vs_cc=$(compare_totals "$d_totals" "$cc_totals")
    d_vs_gen=$(compare_generator "$d_totals" "$corpus1")
    [[ $d_vs_cc == equal && $d_vs_gen == equal ]] || checks_failed=1
    log "round $r/$rounds: loopwatchd $((m_wall / 1000)) ms to 'store caught up:'; totals vs ccusage: $d_vs_cc"
    if ((nreq > 0)); then q1=$q_out q1_rss_before=$q_rss_before q1_rss_after=$q_rss_after q1_hwm=$q_hwm_after; fi
  fi
done
load_after_rounds=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- 6. the Sx history

q10="" d10_line="" d10_ingest="" d10_wall=0 d10_rss=0 d10_cpu=0 d10_vs_gen="" q10_rss_before=0 q10_rss_after=0 q10_hwm=0
if [[ -z $daemon_error ]]; then
  log "ingesting the ${scale}x history ($corpus10); this takes a while"
  if run_daemon "$corpus10" "$requests"; then
    d10_line=$m_line d10_wall=$m_wall d10_rss=$m_rss d10_cpu=$m_cpu q10=$q_out d10_ingest=$m_ingest
    q10_rss_before=$q_rss_before q10_rss_after=$q_rss_after q10_hwm=$q_hwm_after
    d10_vs_gen=$(compare_generator "$(totals_of "$q10")" "$corpus10")
    [[ $d10_vs_gen == equal ]] || checks_failed=1
  fi
fi

# ---- 7. report

mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
corpus_bytes=$(prop "$corpus1" bytes)
row() { # row NAME WALL_ARRAY RSS_ARRAY CPU_ARRAY
  local -n wall=$2 rss=$3 cpu=$4
  local med lo hi
  read -r med lo hi <<<"$(stats "${wall[@]}")"
  awk -v n="$1" -v med="$med" -v lo="$lo" -v hi="$hi" -v b="$corpus_bytes" \
      -v cpu="$(median "${cpu[@]}")" -v rss="$(median "${rss[@]}")" 'BEGIN {
    printf "%-11s %-26s %8.1f %7.2f %9.0f\n", n, sprintf("%.0f (%.0f-%.0f)", med / 1e3, lo / 1e3, hi / 1e3),
      b / 1048576 / (med / 1e6), cpu, rss / 1024 }'
}
describe() { # describe CORPUS_DIR NOTE
  printf '%.1f MiB (%s bytes), %s files, %s lines, %s sessions, %s API requests%s; %s\n' \
    "$(awk -v b="$(prop "$1" bytes)" 'BEGIN { print b / 1048576 }')" "$(prop "$1" bytes)" "$(prop "$1" files)" \
    "$(prop "$1" lines)" "$(prop "$1" sessions)" "$(prop "$1" responses)" \
    "$([[ $(prop "$1" lean) == true ]] && echo ", lean (tool outputs cut to 100 chars)")" "$2"
}

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
echo
echo "Loopwatch store benchmark (files -> queryable totals), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine : nproc=$(nproc) (${cpu_model:-unknown CPU}), $(uname -sr), $(java -version 2>&1 | head -n1)"
echo "load    : $load_before before the rounds, $load_after_rounds after them, $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
  "(1/5/15-min averages; above ~1 on 2 cores means other work competed)"
echo "ccusage : $("$ccusage" --version 2>/dev/null | head -n1) (npm ccusage@$CCUSAGE_VERSION, native binary)"
echo "1x      : $(describe "$corpus1" "$note1")"
echo "          $corpus1"
echo "${scale}x     : $(describe "$corpus10" "$note10")"
echo "          $corpus10"
echo "          = $(awk -v a="$(prop "$corpus10" sessions)" -v b="$(prop "$corpus1" sessions)" 'BEGIN { printf "%.1f", a / b }')x the sessions," \
  "$(awk -v a="$(prop "$corpus10" responses)" -v b="$(prop "$corpus1" responses)" 'BEGIN { printf "%.1f", a / b }')x the API requests," \
  "$(awk -v a="$(prop "$corpus10" bytes)" -v b="$(prop "$corpus1" bytes)" 'BEGIN { printf "%.1f", a / b }')x the bytes of 1x"
echo
echo "Files -> queryable totals on the 1x corpus ($rounds rounds each, alternating):"
printf '%-11s %-26s %8s %7s %9s\n' tool "wall ms median (min-max)" "MiB/s" "CPU s" "RSS MiB"
row ccusage cc_wall cc_rss cc_cpu
row java-floor f_wall f_rss f_cpu
if ((${#d_wall[@]})); then
  row loopwatchd d_wall d_rss d_cpu
else
  printf '%-11s %s\n' loopwatchd "not measured"
fi
echo "Wall: ccusage start->exit (it prints the totals); java-floor start->exit (it reads and tokenizes every line, nothing"
echo "more: no backfill on this stack can be faster; last line: $floor_line);"
echo "loopwatchd process start->'store caught up:' (read,"
echo "journaled and projected; totals queryable). RSS: peak (GNU time %M; VmHWM). CPU: user+sys to exit / to caught-up."
if ((${#d_wall[@]})); then
  echo "loopwatchd's own counts: 'ingest caught up:' (files read and journaled) median" \
    "$( ((${#d_ingest[@]})) && median "${d_ingest[@]}" || echo -) ms after the ingest started; 'store caught up:'" \
    "median $(median "${d_own[@]}") ms after the daemon started; last line: ${d_line#*store caught up: }"
fi
echo
echo "Totals on the 1x corpus (cost, no grouping):"
echo "  ccusage    : $cc_totals"
echo "  loopwatchd : ${d_totals:-not measured}"
echo "  loopwatchd vs ccusage: ${d_vs_cc:-not compared} (tokens exact, cost to 1e-6 \$; every round checked);" \
  "vs the generator's token counts: ${d_vs_gen:-not compared}"
if [[ -n $d10_line ]]; then
  echo "  ${scale}x history: loopwatchd totals $(totals_of "$q10")"
  echo "              vs the generator's token counts: $d10_vs_gen"
  echo "  ${scale}x history ingested and projected in $((d10_wall / 1000)) ms wall, CPU $d10_cpu s, peak RSS $(mib "$d10_rss") MiB;" \
    "${d10_line#*store caught up: } (ingest caught up in ${d10_ingest:-?} ms)"
fi
echo
if [[ -n $q1 && -n $q10 ]]; then
  echo "Totals queries over one socket connection from one JVM ($requests timed each after 5 warm-up rounds), ms:"
  printf '%-34s %10s %10s %10s %10s %9s\n' query "1x median" "1x p90" "${scale}x median" "${scale}x p90" "rows 1x/${scale}x"
  for q in cost-totals cost-by-day; do
    case $q in
      cost-totals) label='{"op":"cost","args":{}}' ;;
      cost-by-day) label='{"op":"cost","args":{"by":"day"}}' ;;
    esac
    printf '%-34s %10s %10s %10s %10s %9s\n' "$label" "$(qv "$q" median_ms "$q1")" "$(qv "$q" p90_ms "$q1")" \
      "$(qv "$q" median_ms "$q10")" "$(qv "$q" p90_ms "$q10")" "$(qv "$q" rows "$q1")/$(qv "$q" rows "$q10")"
  done
  echo "Daemon RSS (VmRSS) before -> after the queries: 1x $(mib "$q1_rss_before") -> $(mib "$q1_rss_after") MiB (peak $(mib "$q1_hwm") MiB);" \
    "${scale}x $(mib "$q10_rss_before") -> $(mib "$q10_rss_after") MiB (peak $(mib "$q10_hwm") MiB). Heap cap: -Xmx in config/jvm.options."
else
  echo "Query times: not measured"
fi
if [[ -n $daemon_error ]]; then
  echo
  echo "loopwatchd: FAILED: $daemon_error" >&2
  exit 2
fi
if ((checks_failed)); then
  echo
  echo "store-benchmark: a totals check FAILED (see above)" >&2
  exit 3
fi
