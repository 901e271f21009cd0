package dev.loopwatch.daemon.store.query;

import java.time.Instant;
import java.util.List;

/**
 * A session in a list: where, when, what it cost, how it went. {@code highCost} means above the 90th
 * percentile of all sessions' cost (known once there are at least 10 sessions); {@code needsReview} is
 * set for FAILED or BLOCKED outcomes, error storms and high cost. {@code unknownModels} are models of the
 * session without a price: their tokens are counted, their cost is not in {@code usage} (say so).
 */
public record SessionRow(
    String sessionId,
    String project,
    String title,
    Instant firstActivity,
    Instant lastActivity,
    long durationMs,
    int prompts,
    int requests,
    int toolCalls,
    int toolErrors,
    int rejections,
    int interrupts,
    int subagents,
    int compactions,
    String outcome,
    String outcomeReason,
    boolean errorStorm,
    boolean highCost,
    boolean needsReview,
    UsageTotals usage,
    List<String> unknownModels) {
  public SessionRow {
    unknownModels = List.copyOf(unknownModels);
  }
}
