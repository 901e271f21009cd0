package dev.loopwatch.daemon.ingest.parse;

/**
 * The parser for each {@link SourceKind}. Parsers are stateless, thread-safe singletons: the tailers share
 * them across files and threads and pass everything about a line's origin in its {@link ParseContext}.
 */
public final class Parsers {
  private Parsers() {}

  /**
   * The parser of an appended-lines source.
   *
   * @throws IllegalArgumentException if {@code kind}'s files are rewritten whole
   */
  public static LineParser lineParser(SourceKind kind) {
    return switch (kind) {
      case CLAUDE_TRANSCRIPT -> TranscriptParser.INSTANCE;
      case CLAUDE_HISTORY -> HistoryParser.INSTANCE;
      case SEED_SESSION_METRICS -> SeedParsers.SessionMetrics.INSTANCE;
      case SEED_SESSION_EVENTS -> SeedParsers.SessionEvents.INSTANCE;
      case SEED_SELF_HEALING -> SeedParsers.SelfHealing.INSTANCE;
      case SEED_LOG_SESSION_METRICS -> SeedParsers.LogSessionMetrics.INSTANCE;
      case SEED_OBSERVATIONS -> SeedParsers.Observations.INSTANCE;
      case SEED_EXECUTION_LOG -> SeedParsers.ExecutionLog.INSTANCE;
      case SEED_OUTCOMES -> SeedParsers.Outcomes.INSTANCE;
      case DEVLOOP_EVENTS -> DevloopParsers.Events.INSTANCE;
      case DEVLOOP_AUDIT -> DevloopParsers.Audit.INSTANCE;
      case DEVLOOP_FEEDBACK -> DevloopParsers.Feedback.INSTANCE;
      case DEVLOOP_METRICS -> DevloopParsers.Metrics.INSTANCE;
      case DEVLOOP_CLI_ACTIONS -> DevloopParsers.CliActions.INSTANCE;
      case DEVLOOP_AMP_THREADS -> DevloopParsers.AmpThreads.INSTANCE;
      case GENERIC_JSONL -> GenericJsonlParser.INSTANCE;
      case CLAUDE_LIVE_SESSION, SEED_CONTEXT_BUNDLE, SEED_SESSION_OUTCOME ->
          throw new IllegalArgumentException(kind + " is read as a whole file, not line by line");
    };
  }

  /**
   * The parser of a source whose files are rewritten whole.
   *
   * @throws IllegalArgumentException if {@code kind}'s files are appended line by line
   */
  public static WholeFileParser wholeFileParser(SourceKind kind) {
    return switch (kind) {
      case CLAUDE_LIVE_SESSION -> LiveSessionParser.INSTANCE;
      case SEED_CONTEXT_BUNDLE -> ContextBundleParser.INSTANCE;
      case SEED_SESSION_OUTCOME -> SessionOutcomeParser.INSTANCE;
      default -> throw new IllegalArgumentException(kind + " is read line by line, not as a whole file");
    };
  }
}
