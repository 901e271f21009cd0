package dev.loopwatch.daemon.ingest.parse;

/**
 * Every kind of file Loopwatch reads (DESIGN §4). The name is journaled as the event's {@code source};
 * the mode says whether the file is appended line by line or rewritten whole.
 */
public enum SourceKind {
  CLAUDE_TRANSCRIPT("claude.transcript", Mode.LINES),
  CLAUDE_HISTORY("claude.history", Mode.LINES),
  CLAUDE_LIVE_SESSION("claude.live-session", Mode.WHOLE_FILE),
  SEED_SESSION_METRICS("seed.session-metrics", Mode.LINES),
  SEED_SESSION_EVENTS("seed.session-events", Mode.LINES),
  SEED_CONTEXT_BUNDLE("seed.context-bundle", Mode.WHOLE_FILE),
  SEED_SESSION_OUTCOME("seed.session-outcome", Mode.WHOLE_FILE),
  SEED_SELF_HEALING("seed.self-healing", Mode.LINES),
  SEED_LOG_SESSION_METRICS("seed.log-session-metrics", Mode.LINES),
  SEED_OBSERVATIONS("seed.observations", Mode.LINES),
  SEED_EXECUTION_LOG("seed.execution-log", Mode.LINES),
  SEED_OUTCOMES("seed.outcomes", Mode.LINES),
  DEVLOOP_EVENTS("devloop.events", Mode.LINES),
  DEVLOOP_AUDIT("devloop.audit", Mode.LINES),
  DEVLOOP_FEEDBACK("devloop.feedback", Mode.LINES),
  DEVLOOP_METRICS("devloop.metrics", Mode.LINES),
  DEVLOOP_CLI_ACTIONS("devloop.cli-actions", Mode.LINES),
  DEVLOOP_AMP_THREADS("devloop.amp-threads", Mode.LINES),
  GENERIC_JSONL("jsonl", Mode.LINES);

  /** How a source's files change. */
  public enum Mode {
    /** Append-only lines (JSONL): tailed from a checkpointed offset. */
    LINES,
    /** Rewritten whole: each new version is read completely and parsed if its content changed. */
    WHOLE_FILE
  }

  private final String sourceName;
  private final Mode mode;

  SourceKind(String sourceName, Mode mode) {
    this.sourceName = sourceName;
    this.mode = mode;
  }

  public String sourceName() {
    return sourceName;
  }

  public Mode mode() {
    return mode;
  }
}
