package dev.loopwatch.daemon.ingest;

/** What a watched directory is; decides which of its files are which source (DESIGN §4). */
public enum RootKind {
  /** {@code ~/.claude} or {@code $CLAUDE_CONFIG_DIR}. */
  CLAUDE_HOME,
  /** A project's {@code .claude/} directory. */
  PROJECT_CLAUDE,
  /** A project's {@code .devloop/} directory. */
  PROJECT_DEVLOOP
}
