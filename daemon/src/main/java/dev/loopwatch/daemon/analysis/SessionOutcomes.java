package dev.loopwatch.daemon.analysis;

import java.time.Duration;
import java.util.List;

/**
 * The outcome rules (README "Session outcomes"), first match wins:
 *
 * <ol>
 *   <li>a declared outcome (a seed record naming the session, else the project's {@code .session_outcome}
 *       linked to it by time, see the store's OutcomeFiles) is taken as is;
 *   <li>nothing happened (no prompt, request or tool call): no outcome;
 *   <li>BLOCKED when the session stopped on something outside the agent, with no answer of the model
 *       after it: its last tool result was rejected by the user, the user interrupted after the last
 *       tool result, its last tool call never got a result (the session was closed, or Claude Code
 *       stopped, while the tool ran), or the last API request was an API error (rate or usage limit);
 *   <li>FAILED when it ended on failure: the last tool result failed, or at least 3 of the last 5 did;
 *   <li>PARTIAL when it recovered from failures, rejections or interruptions along the way;
 *   <li>SUCCESS otherwise.
 * </ol>
 *
 * A rejection or an interruption the conversation went on after (the user asked something else and the
 * model answered, even without tools) is recovered from, not where the session stopped. The outcome of a
 * session still running is provisional: it is judged again with every new event (while a tool runs,
 * its call has no result yet).
 *
 * <p>An error storm is {@value #STORM_ERRORS} or more failed tool results within any {@link #STORM_WINDOW}.
 */
public final class SessionOutcomes {
  public static final int STORM_ERRORS = 5;
  public static final Duration STORM_WINDOW = Duration.ofMinutes(10);

  /** An outcome (or {@code null}), why, and whether the session had an error storm. */
  public record Verdict(Outcome outcome, String reason, boolean errorStorm) {}

  private SessionOutcomes() {}

  public static Verdict judge(SessionFacts f) {
    boolean storm = errorStorm(f.failureTimes());
    Outcome declared = Outcome.parse(f.declared());
    if (declared != null) {
      String by = f.declaredIn() == null ? "declared by the session" : "declared in " + f.declaredIn();
      return new Verdict(declared, by + " (" + f.declared().strip() + ")", storm);
    }
    if (f.prompts() == 0 && f.requests() == 0 && f.toolCalls() == 0) {
      return new Verdict(null, "no activity", storm);
    }
    List<SessionFacts.Result> last = f.lastResults();
    SessionFacts.Result lastResult = last.isEmpty() ? null : last.get(0);
    long lastResultTs = lastResult == null ? 0 : lastResult.ts();
    if (lastResult != null && lastResult.rejected() && f.lastResponse() <= lastResultTs) {
      return new Verdict(Outcome.BLOCKED, "the user rejected the last tool use", storm);
    }
    if (f.lastInterrupt() > 0 && f.lastInterrupt() >= lastResultTs && f.lastResponse() <= f.lastInterrupt()) {
      return new Verdict(Outcome.BLOCKED, "the user interrupted after the last tool result", storm);
    }
    if (f.lastOpenCall() > 0 && f.lastOpenCall() >= lastResultTs && f.lastOpenCall() >= f.lastInterrupt()
        && f.lastResponse() <= f.lastOpenCall()) {
      return new Verdict(Outcome.BLOCKED, "the last tool call never got a result (the session stopped while it ran)", storm);
    }
    if (f.lastApiError() > 0 && f.lastApiError() >= f.lastResponse()) {
      return new Verdict(Outcome.BLOCKED, "the last API request failed (rate or usage limit)", storm);
    }
    if (lastResult != null && !lastResult.success() && !lastResult.rejected()) {
      return new Verdict(Outcome.FAILED, "the last tool result failed", storm);
    }
    long failedOfLastFive = last.stream().limit(5).filter(r -> !r.success() && !r.rejected()).count();
    if (failedOfLastFive >= 3) {
      return new Verdict(Outcome.FAILED, failedOfLastFive + " of the last 5 tool results failed", storm);
    }
    if (f.toolErrors() > 0 || f.rejections() > 0 || f.interrupts() > 0) {
      return new Verdict(
          Outcome.PARTIAL,
          "recovered after " + f.toolErrors() + " tool errors, " + f.rejections() + " rejections, "
              + f.interrupts() + " interruptions",
          storm);
    }
    return new Verdict(Outcome.SUCCESS, "no unresolved failure", storm);
  }

  static boolean errorStorm(List<Long> failureTimes) {
    long window = STORM_WINDOW.toMillis();
    for (int i = 0; i + STORM_ERRORS - 1 < failureTimes.size(); i++) {
      if (failureTimes.get(i + STORM_ERRORS - 1) - failureTimes.get(i) <= window) {
        return true;
      }
    }
    return false;
  }
}
