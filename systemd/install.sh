#!/usr/bin/env bash
# Installs Loopwatch for the current user and starts it as a systemd user service.
#
#   systemd/install.sh [--hooks] [--prefix DIR] [--no-build]
#
#   --hooks       also add Loopwatch's Claude Code hooks to ~/.claude/settings.json (loopwatch install-hooks)
#   --prefix DIR  install under DIR instead of ~/.local (bin/, share/loopwatch/); the unit expects ~/.local
#   --no-build    use the jars already built (fail if they are missing)
#
# Layout: <prefix>/bin/{loopwatchd,loopwatch}, <prefix>/share/loopwatch/ (the daemon jar, lib/ with the
# client jar and every dependency, config/, README.md),
# ~/.config/systemd/user/loopwatch.service. Your data stays where it always is: the state directory
# ($XDG_STATE_HOME/loopwatch, ~/.local/state/loopwatch), ~/.config/loopwatch/, ~/.claude/metrics/.
#
# Idempotent: running it again (e.g. after `git pull`) is an upgrade: the running daemon is stopped, the
# files replaced, the daemon started again; its state is kept. Where `systemctl --user` is not available
# (containers, CI) it installs the files, says so, and prints the command to run the daemon in the
# foreground.
set -euo pipefail

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
prefix="$HOME/.local"
hooks=0
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --hooks) hooks=1 ;;
    --prefix) prefix="${2:?--prefix needs a directory}"; shift ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf 'loopwatch install: %s\n' "$*"; }

daemon_jar="$repo/daemon/target/loopwatch-daemon.jar"
client_jar="$repo/client/target/loopwatch-client.jar"
if [ ! -f "$daemon_jar" ] || [ ! -f "$client_jar" ]; then
  if [ "$build" -eq 0 ]; then
    echo "install.sh: $daemon_jar or $client_jar missing and --no-build given" >&2
    exit 1
  fi
  say "building (mvn -q -B -DskipTests package) ..."
  (cd "$repo" && mvn -q -B -DskipTests package)
fi

bin="$prefix/bin"
share="$prefix/share/loopwatch"
unit_dir="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"

have_systemd=0
if command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1; then
  have_systemd=1
fi

if [ "$have_systemd" -eq 1 ] && systemctl --user is-active --quiet loopwatch.service; then
  say "stopping the running daemon for the upgrade"
  systemctl --user stop loopwatch.service
fi

# Replace the installed jars as a whole: they are assembled in a temporary directory and swapped in, so
# no stale jar from an older version stays on a classpath.
mkdir -p "$bin" "$prefix/share" "$unit_dir"
staging="$(mktemp -d "$prefix/share/.loopwatch.XXXXXX")"
mkdir -p "$staging/lib" "$staging/config"
cp "$daemon_jar" "$staging/"                 # its manifest's Class-Path names lib/<dependency>.jar
cp "$client_jar" "$staging/lib/"             # the client launcher looks in share/loopwatch/lib
cp "$repo"/daemon/target/lib/*.jar "$staging/lib/"
cp "$repo"/client/target/lib/*.jar "$staging/lib/" 2>/dev/null || true
rm -rf "$share.old"
if [ -d "$share" ]; then mv "$share" "$share.old"; fi
mv "$staging" "$share"
rm -rf "$share.old"
chmod 0755 "$share"
cp "$repo/config/jvm.options" "$repo/config/loopwatch.yaml" "$repo/config/pricing.yaml" "$share/config/"
cp "$repo/README.md" "$share/README.md"
install -m 0755 "$repo/daemon/loopwatchd" "$bin/loopwatchd"
install -m 0755 "$repo/client/loopwatch" "$bin/loopwatch"
install -m 0644 "$repo/systemd/loopwatch.service" "$unit_dir/loopwatch.service"

# Class-data archives are tied to the exact jars they were made from: make them for the installed ones.
"$bin/loopwatch" --cds-warmup >/dev/null 2>&1 || say "could not create the client's start-up archive (it will start a little slower)"
"$bin/loopwatchd" --cds-warmup >/dev/null 2>&1 || say "could not create the daemon's start-up archive (it will start a little slower)"

if [ "$hooks" -eq 1 ]; then
  "$bin/loopwatch" install-hooks
fi

if [ "$have_systemd" -eq 1 ]; then
  systemctl --user daemon-reload
  systemctl --user enable --now loopwatch.service >/dev/null
  say "waiting for the daemon to answer ..."
  for _ in $(seq 1 60); do
    if "$bin/loopwatch" ping >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  if "$bin/loopwatch" ping >/dev/null 2>&1; then
    say "the daemon is running and answers (systemctl --user status loopwatch)"
  else
    say "the daemon did not answer yet; see: journalctl --user -u loopwatch -e"
  fi
else
  say "systemctl --user is not available here (no user session manager: a container or CI?)."
  say "the files are installed; run the daemon in the foreground with:"
  echo "    $bin/loopwatchd"
fi

cat <<INFO
loopwatch install: installed
  commands : $bin/loopwatchd, $bin/loopwatch   (add $bin to PATH if it is not)
  jars     : $share/lib
  unit     : $unit_dir/loopwatch.service
  config   : ${XDG_CONFIG_HOME:-$HOME/.config}/loopwatch/loopwatch.yaml (optional; every key: $share/config/loopwatch.yaml)
  state    : ${XDG_STATE_HOME:-$HOME/.local/state}/loopwatch (journal, database, dead letters)
  logs     : journalctl --user -u loopwatch
INFO
