package dev.loopwatch.daemon.analysis;

import java.util.List;

/**
 * What the outcome rules look at, for one session. Times are epoch milliseconds; 0 means never.
 *
 * @param lastResults the session's last tool results, newest first (at most a handful)
 * @param failureTimes times of every failed (non-rejected) tool result, in order
 * @param lastInterrupt when the user last interrupted
 * @param lastApiError when the last request that was an API error (rate or usage limit) happened
 * @param lastResponse when the model last answered: the last API request that was neither an API error
 *     nor made up by Claude Code ({@code <synthetic>}, e.g. "No response requested.")
 * @param lastOpenCall when the newest tool call still without a result was made
 * @param declared an outcome declared for the session (a seed record naming it, or its project's
 *     {@code .session_outcome}), or {@code null}
 * @param declaredIn the file the declaration was read from when it names no session (the outcome of a
 *     {@code .session_outcome} linked to this session by time), or {@code null}
 */
public record SessionFacts(
    int prompts,
    int requests,
    int toolCalls,
    int toolErrors,
    int rejections,
    int interrupts,
    List<Result> lastResults,
    List<Long> failureTimes,
    long lastInterrupt,
    long lastApiError,
    long lastResponse,
    long lastOpenCall,
    String declared,
    String declaredIn) {

  /** One tool result. */
  public record Result(long ts, boolean success, boolean rejected, boolean interrupted) {}

  public SessionFacts {
    lastResults = List.copyOf(lastResults);
    failureTimes = List.copyOf(failureTimes);
  }
}
