package dev.loopwatch.daemon.store.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What a new session in a project should know (the SessionStart context block): the project's earlier
 * sessions, its last one, its spend, its open (recent, repeating) failures and hot files.
 */
public record ProjectDigest(
    String project,
    int sessions,
    BigDecimal costRecent,
    BigDecimal costAll,
    LastSession last,
    List<FailureRow> failures,
    List<HotFile> hotFiles) {

  /** The project's most recent other session. */
  public record LastSession(
      String sessionId, Instant lastActivity, String outcome, String reason, int toolErrors, BigDecimal cost) {}

  public ProjectDigest {
    failures = List.copyOf(failures);
    hotFiles = List.copyOf(hotFiles);
  }

  public boolean isEmpty() {
    return sessions == 0 && failures.isEmpty();
  }
}
