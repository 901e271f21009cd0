#!/usr/bin/env bash
# Removes Loopwatch for the current user: stops and disables the service, removes its Claude Code hooks,
# the unit, the commands and the jars. Your data (state: journal, database; ~/.config/loopwatch; reports in
# ~/.claude/metrics) is kept unless --purge is given.
#
#   systemd/uninstall.sh [--purge] [--prefix DIR]
set -euo pipefail

prefix="$HOME/.local"
purge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --purge) purge=1 ;;
    --prefix) prefix="${2:?--prefix needs a directory}"; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "uninstall.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
say() { printf 'loopwatch uninstall: %s\n' "$*"; }

bin="$prefix/bin"
share="$prefix/share/loopwatch"
unit="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user/loopwatch.service"

if command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1; then
  systemctl --user disable --now loopwatch.service >/dev/null 2>&1 || true
fi
# Hooks point at the client being removed: take them out first, so Claude Code does not run a missing command.
if [ -x "$bin/loopwatch" ]; then
  "$bin/loopwatch" uninstall-hooks >/dev/null 2>&1 || say "could not remove the Claude Code hooks; run 'loopwatch uninstall-hooks' or edit ~/.claude/settings.json"
fi
rm -f "$unit" "$bin/loopwatchd" "$bin/loopwatch"
rm -rf "$share"
if command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1; then
  systemctl --user daemon-reload || true
fi
if [ "$purge" -eq 1 ]; then
  rm -rf "${XDG_STATE_HOME:-$HOME/.local/state}/loopwatch" "${XDG_CONFIG_HOME:-$HOME/.config}/loopwatch"
  say "removed Loopwatch and its data (reports in ~/.claude/metrics are yours and were kept)"
else
  say "removed Loopwatch; your data is kept in ${XDG_STATE_HOME:-$HOME/.local/state}/loopwatch (use --purge to remove it)"
fi
