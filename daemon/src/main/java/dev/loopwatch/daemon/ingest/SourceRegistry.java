package dev.loopwatch.daemon.ingest;

import dev.loopwatch.daemon.ingest.parse.SourceKind;
import java.nio.file.Path;

/**
 * Decides what a file under a watched root is (DESIGN §4), from its path relative to the root. Files
 * that are no source are ignored. Pure and thread-safe.
 */
final class SourceRegistry {

  private SourceRegistry() {}

  /** The source kind of {@code file} under {@code root}, or {@code null} when it is not read. */
  static SourceKind classify(WatchedRoot root, Path file) {
    if (!file.startsWith(root.dir()) || file.equals(root.dir())) {
      return null;
    }
    Path rel = root.dir().relativize(file);
    String relPath = rel.toString().replace('\\', '/');
    String name = rel.getFileName().toString();
    return switch (root.kind()) {
      case CLAUDE_HOME -> claudeHome(relPath, name, rel.getNameCount());
      case PROJECT_CLAUDE -> seedOrGeneric(relPath, name);
      case PROJECT_DEVLOOP -> devloop(relPath, name);
    };
  }

  private static SourceKind claudeHome(String rel, String name, int depth) {
    if (rel.startsWith("projects/")) {
      // <project>/<session>.jsonl, <project>/<session>/subagents/agent-<id>.jsonl, legacy agent-<id>.jsonl
      return name.endsWith(".jsonl") ? SourceKind.CLAUDE_TRANSCRIPT : null;
    }
    if (rel.equals("history.jsonl")) {
      return SourceKind.CLAUDE_HISTORY;
    }
    if (rel.startsWith("sessions/") && depth == 2 && name.endsWith(".json")) {
      return SourceKind.CLAUDE_LIVE_SESSION;
    }
    if (rel.startsWith("metrics/")) {
      return null; // our own reports
    }
    return seedOrGeneric(rel, name);
  }

  private static SourceKind seedOrGeneric(String rel, String name) {
    switch (rel) {
      case "stats/session_metrics.jsonl":
        return SourceKind.SEED_SESSION_METRICS;
      case "stats/session_events.jsonl":
        return SourceKind.SEED_SESSION_EVENTS;
      case ".session_outcome":
        return SourceKind.SEED_SESSION_OUTCOME;
      case "logs/session-metrics.jsonl":
        return SourceKind.SEED_LOG_SESSION_METRICS;
      case "v3/self-learning/execution-log.jsonl":
        return SourceKind.SEED_EXECUTION_LOG;
      case "v3/self-learning/outcomes.jsonl":
        return SourceKind.SEED_OUTCOMES;
      default:
        break;
    }
    if (rel.startsWith("context_bundles/") && name.endsWith(".json") && rel.indexOf('/', 16) < 0) {
      return SourceKind.SEED_CONTEXT_BUNDLE;
    }
    if (rel.startsWith("logs/self-healing/") && name.endsWith(".jsonl")) {
      return SourceKind.SEED_SELF_HEALING;
    }
    if (rel.startsWith("observations/") && name.endsWith(".jsonl")) {
      return SourceKind.SEED_OBSERVATIONS;
    }
    return name.endsWith(".jsonl") ? SourceKind.GENERIC_JSONL : null;
  }

  private static SourceKind devloop(String rel, String name) {
    return switch (rel) {
      case "events.jsonl" -> SourceKind.DEVLOOP_EVENTS;
      case "agent-audit.log" -> SourceKind.DEVLOOP_AUDIT;
      case "feedback/feedback.jsonl" -> SourceKind.DEVLOOP_FEEDBACK;
      case "metrics.jsonl" -> SourceKind.DEVLOOP_METRICS;
      case "cli-actions.jsonl" -> SourceKind.DEVLOOP_CLI_ACTIONS;
      case "amp-thread-log.jsonl" -> SourceKind.DEVLOOP_AMP_THREADS;
      default -> name.endsWith(".jsonl") ? SourceKind.GENERIC_JSONL : null;
    };
  }
}
