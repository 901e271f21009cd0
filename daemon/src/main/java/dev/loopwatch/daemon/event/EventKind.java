package dev.loopwatch.daemon.event;

/**
 * The closed set of things Loopwatch records. Every source maps what it reads onto these; anything it
 * cannot map becomes {@link #RAW} with the original object kept in attributes.
 */
public enum EventKind {
  SESSION_START,
  SESSION_END,
  /** A live-session snapshot or bookkeeping line: status, title, Claude Code's own cost record. */
  SESSION_STATE,
  PROMPT,
  /** One API response's token usage; deduplicated downstream by (message id, request id). */
  API_USAGE,
  TOOL_CALL,
  TOOL_RESULT,
  SUBAGENT,
  COMPACTION,
  /** A turn finished (Claude Code's {@code system/turn_duration}). */
  TURN,
  FILE_TOUCH,
  SERVICE_CHECK,
  SERVICE_RESTART,
  ESCALATION,
  LESSON,
  FEEDBACK,
  CLI_ACTION,
  OUTCOME,
  RAW
}
