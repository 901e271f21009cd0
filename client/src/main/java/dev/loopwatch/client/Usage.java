package dev.loopwatch.client;

/** The help texts. */
final class Usage {
  static final String SHORT =
      """
      usage: loopwatch [--json] [--socket PATH] COMMAND [OPTIONS]
      commands: status, sessions, session ID, cost, tools, failures, files, rebuild, ping,
                hook, install-hooks, uninstall-hooks, help, --version
      'loopwatch help' describes them.
      """;

  static final String FULL =
      """
      usage: loopwatch [--json] [--socket PATH] COMMAND [OPTIONS]

      Asks the Loopwatch daemon about your Claude Code sessions.

      Questions:
        status                      what the daemon is doing: ingest, journal, store, jobs
        sessions [--project P] [--since D] [--until D] [--outcome O] [--limit N] [--timezone Z]
                                    sessions, the latest first
        session ID                  one session: models, subagents, tool calls, files, timeline
        cost [--by day|week|month|session|project|model|agent] [--since D] [--until D]
             [--timezone Z] [--project P]
                                    tokens and cost, grouped, with totals
        tools [--since D] [--timezone Z]
                                    calls, failures and rejections per tool
        failures [--since D] [--limit N]
                                    recurring tool failures, by signature
        files [--since D] [--project P] [--limit N]
                                    the files sessions changed most
        rebuild                     drops the store and replays the journal into it
        ping                        is the daemon there?

      Claude Code:
        hook                        the hook adapter: reads a hook's JSON on stdin; always exits 0
        install-hooks [--project DIR]
                                    adds loopwatch's hooks to $CLAUDE_CONFIG_DIR/settings.json or
                                    ~/.claude/settings.json (DIR/.claude/settings.json with --project);
                                    keeps everything else and writes a backup first
        uninstall-hooks [--project DIR]
                                    removes them again

        help, --version

      Options:
        --json                      print the daemon's answer as JSON
        --socket PATH               the daemon's socket (default: $LOOPWATCH_SOCKET, else
                                    $XDG_RUNTIME_DIR/loopwatch/loopwatch.sock)
      D is a date, YYYY-MM-DD or YYYYMMDD; Z a time zone such as UTC or Europe/Paris.

      Exit status: 0 ok, 1 the daemon answered with an error, 2 usage error, 3 daemon unreachable.
      """;

  private Usage() {}
}
