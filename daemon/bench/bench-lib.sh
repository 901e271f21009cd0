# bench-lib.sh: what ingest-benchmark.sh and store-benchmark.sh share, sourced by both (not run on its own).
# The sourcing script sets before calling these: bench (its name, for messages), repo, work, seed, keep,
# CCUSAGE_VERSION.

die() { echo "$bench: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }
now_us() { local t=${EPOCHREALTIME//[.,]/}; echo "$t"; }

# common_option "NAMES" "$@": takes one option the benchmarks share (--rounds, --size-mb, --seed, --work,
# --timeout, --daemon, --keep) into its variable, if NAMES (without "--") has it; sets opt_shift to the
# words it used, 0 if $1 is none of NAMES.
common_option() {
  local names=" $1 "
  shift
  opt_shift=0
  [[ $names == *" ${1#--} "* ]] || return 0
  opt_shift=2
  case $1 in
    --rounds) rounds=${2:?--rounds needs a value} ;;
    --size-mb) size_mb=${2:?--size-mb needs a value} ;;
    --seed) seed=${2:?--seed needs a value} ;;
    --work) work=${2:?--work needs a value} ;;
    --timeout) timeout_s=${2:?--timeout needs a value} ;;
    --daemon) launcher=${2:?--daemon needs a value} ;;
    --keep) keep=1 opt_shift=1 ;;
    *) die "common_option: no option $1" ;;
  esac
}

newer_than() { # newer_than FILE PATH...: true if FILE is missing or any PATH has a newer file
  [[ -e $1 ]] || return 0
  local target=$1; shift
  [[ -n $(find "$@" -newer "$target" -type f -print -quit 2>/dev/null) ]]
}

# Builds what is missing or older than its sources: the daemon jar, the bench classes (test classes of
# daemon/: CorpusGenerator, QueryTimer) and the classpath they run on. Sets jar and bench_cp.
build_for_bench() {
  local bench_classes=$repo/daemon/target/test-classes/dev/loopwatch/bench
  local classpath_file=$repo/daemon/target/bench-classpath.txt
  jar=$repo/daemon/target/loopwatch-daemon.jar
  if newer_than "$jar" "$repo/pom.xml" "$repo/daemon/pom.xml" "$repo/daemon/src/main" "$repo/config"; then
    log "building the daemon (mvn package)"
    (cd "$repo" && mvn -q -B -DskipTests package >&2)
  fi
  if newer_than "$bench_classes/QueryTimer.class" "$repo/daemon/src/test/java/dev/loopwatch/bench" ||
    newer_than "$bench_classes/CorpusGenerator.class" "$repo/daemon/src/test/java/dev/loopwatch/bench"; then
    log "compiling the bench classes (mvn test-compile)"
    (cd "$repo" && mvn -q -B -pl daemon test-compile >&2)
  fi
  if newer_than "$classpath_file" "$repo/pom.xml" "$repo/daemon/pom.xml"; then
    (cd "$repo" && mvn -q -B -pl daemon dependency:build-classpath -Dmdep.outputFile="$classpath_file" >&2)
  fi
  bench_cp="$repo/daemon/target/test-classes:$(cat "$classpath_file")"
}

# ensure_corpus DIR SIZE_MB [--lean]: generates the corpus once per size, seed, leanness and generator
# version (a stamp in DIR says which); sets corpus_note.
ensure_corpus() {
  local dir=$1 size=$2 lean=${3:-} stamp t0
  stamp="size_mb=$size seed=$seed generator=$(cat "$repo"/daemon/src/test/java/dev/loopwatch/bench/*.java | sha1sum | cut -c1-12)"
  [[ -z $lean ]] || stamp="$stamp lean"
  if [[ -f $dir/corpus.properties && $(cat "$dir/.bench-stamp" 2>/dev/null) == "$stamp" ]]; then
    corpus_note="reused"
    return
  fi
  rm -rf -- "$dir"
  mkdir -p "$dir"
  log "generating a ${size} MiB ${lean:+lean }corpus in $dir"
  t0=$(now_us)
  # shellcheck disable=SC2086  # $lean is empty or one flag
  java -cp "$bench_cp" dev.loopwatch.bench.CorpusGenerator --out "$dir" --size-mb "$size" --seed "$seed" $lean |
    tee "$dir/generator.txt" >&2
  corpus_note="generated in $(( ($(now_us) - t0) / 1000 )) ms including JVM start"
  echo "$stamp" >"$dir/.bench-stamp"
}

# Installs ccusage@CCUSAGE_VERSION with npm once (shared by both benchmarks) and GNU time when missing.
# Sets ccusage and gnu_time.
install_baseline_tools() {
  local cc_dir=${XDG_CACHE_HOME:-$HOME/.cache}/loopwatch-bench/ccusage
  cc_version() { node -p "require('$cc_dir/node_modules/ccusage/package.json').version" 2>/dev/null || true; }
  cc_bin() { compgen -G "$cc_dir/node_modules/@ccusage/ccusage-*/bin/ccusage" | head -n1 || true; }
  if [[ $(cc_version) != "$CCUSAGE_VERSION" || -z $(cc_bin) ]]; then
    log "installing ccusage@$CCUSAGE_VERSION into $cc_dir"
    mkdir -p "$cc_dir"
    npm install --prefix "$cc_dir" --no-audit --no-fund --loglevel=error "ccusage@$CCUSAGE_VERSION" >&2
  fi
  ccusage=$(cc_bin)
  [[ -x $ccusage ]] || die "ccusage's native binary is missing under $cc_dir/node_modules/@ccusage"

  gnu_time=/usr/bin/time
  if [[ ! -x $gnu_time ]]; then
    if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null; then die "GNU time is missing: apt-get install time"; fi
    log "installing GNU time (Debian package 'time')"
    apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
  fi
}

# The measuring functions set these: wall µs, peak RSS KiB, CPU seconds (user+sys).
m_wall=0 m_rss=0 m_cpu=0

run_ccusage() { # run_ccusage CORPUS OUT: ccusage claude daily over CORPUS, its JSON to OUT
  local tf=$work/ccusage.time t0 t1 user sys
  t0=$(now_us)
  env -i PATH="$PATH" HOME="$1" CLAUDE_CONFIG_DIR="$1/.claude" \
    "$gnu_time" -f '%M %U %S' -o "$tf" "$ccusage" claude daily --offline --json --timezone UTC >"$2"
  t1=$(now_us)
  read -r m_rss user sys <"$tf"
  m_wall=$((t1 - t0))
  m_cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
}

# run_floor CORPUS: TokenizeFloor over CORPUS's transcripts, on the daemon's JVM flags and with its two
# ingest workers: start a JVM, read every line and tokenize it with Jackson, nothing more (see
# daemon/src/test/java/dev/loopwatch/bench/TokenizeFloor.java). No backfill on our stack can be faster.
# Sets m_* and floor_line.
floor_line=""
run_floor() {
  local tf=$work/floor.time t0 t1 user sys
  t0=$(now_us)
  floor_line=$(env -i PATH="$PATH" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} LANG=C.UTF-8 \
    "$gnu_time" -f '%M %U %S' -o "$tf" "${JAVA_HOME:+$JAVA_HOME/bin/}java" "@$repo/config/jvm.options" -cp "$bench_cp" \
    dev.loopwatch.bench.TokenizeFloor "$1/.claude/projects" 2)
  t1=$(now_us)
  read -r m_rss user sys <"$tf"
  m_wall=$((t1 - t0))
  m_cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
}

daemon_pid=""
stop_daemon() { # SIGTERM, then $stop_grace seconds (default 15), then SIGKILL
  [[ -n $daemon_pid ]] || return 0
  local grace=${stop_grace:-15} i
  kill -TERM "$daemon_pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$daemon_pid" 2>/dev/null; then
    echo "$bench: warning: loopwatchd ($daemon_pid) ignored SIGTERM for $grace s; killing it" >&2
    kill -KILL "$daemon_pid" 2>/dev/null || true
  fi
  wait "$daemon_pid" 2>/dev/null || true
  daemon_pid=""
}

round_dir=""
cleanup() {
  stop_daemon
  if [[ -n $round_dir && $keep == 0 ]]; then rm -rf -- "$round_dir"; fi
}

# stats v1 v2 … → "median min max" (the median of an even count is the mean of the middle two)
stats() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s %s", m, v[1], v[NR] }'
}
median() { stats "$@" | cut -d' ' -f1; }
