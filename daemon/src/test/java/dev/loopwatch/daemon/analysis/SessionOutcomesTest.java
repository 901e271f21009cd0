package dev.loopwatch.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every outcome rule, in order, on small hand-made sessions (times in epoch ms from {@link #T0}). */
class SessionOutcomesTest {
  static final long T0 = 1_770_000_000_000L;
  static final long MIN = 60_000L;

  /** A session under construction; the defaults are a session with one prompt, one request, nothing else. */
  static final class Facts {
    int prompts = 1;
    int requests = 1;
    int toolCalls;
    int toolErrors;
    int rejections;
    int interrupts;
    final List<SessionFacts.Result> results = new ArrayList<>(); // oldest first, as they happen
    final List<Long> failures = new ArrayList<>();
    long lastInterrupt;
    long lastApiError;
    long lastResponse = T0;
    long lastOpenCall;
    String declared;
    String declaredIn;

    Facts ok(long ts) {
      return result(ts, true, false);
    }

    Facts failed(long ts) {
      failures.add(ts);
      toolErrors++;
      return result(ts, false, false);
    }

    Facts rejected(long ts) {
      rejections++;
      return result(ts, false, true);
    }

    private Facts result(long ts, boolean success, boolean rejected) {
      toolCalls++;
      results.add(new SessionFacts.Result(ts, success, rejected, false));
      lastResponse = Math.max(lastResponse, ts - 1); // the answer that asked for the tool
      return this;
    }

    Facts interrupted(long ts) {
      interrupts++;
      lastInterrupt = Math.max(lastInterrupt, ts);
      return this;
    }

    /** The model asked for a tool that has no result (yet). */
    Facts openCall(long ts) {
      toolCalls++;
      lastResponse = Math.max(lastResponse, ts);
      lastOpenCall = Math.max(lastOpenCall, ts);
      return this;
    }

    /** The model answered (text, or a request for tools whose results are added separately). */
    Facts response(long ts) {
      requests++;
      lastResponse = Math.max(lastResponse, ts);
      return this;
    }

    /** A request that failed (rate or usage limit): Claude Code writes a made-up message, no answer. */
    Facts apiError(long ts) {
      requests++;
      lastApiError = Math.max(lastApiError, ts);
      return this;
    }

    Facts declared(String d) {
      declared = d;
      return this;
    }

    /** Declared in a file that names no session (a project's .session_outcome linked by time). */
    Facts declaredIn(String file, String d) {
      declaredIn = file;
      return declared(d);
    }

    SessionFacts build() {
      List<SessionFacts.Result> newestFirst = new ArrayList<>(results);
      java.util.Collections.reverse(newestFirst);
      return new SessionFacts(
          prompts, requests, toolCalls, toolErrors, rejections, interrupts,
          newestFirst.subList(0, Math.min(5, newestFirst.size())), failures, lastInterrupt, lastApiError,
          lastResponse, lastOpenCall, declared, declaredIn);
    }

    SessionOutcomes.Verdict judge() {
      return SessionOutcomes.judge(build());
    }
  }

  static Facts session() {
    return new Facts();
  }

  static void assertVerdict(Outcome outcome, String reason, SessionOutcomes.Verdict v) {
    assertEquals(outcome, v.outcome(), v.toString());
    assertEquals(reason, v.reason(), v.toString());
  }

  // ------------------------------------------------------------------------------ 1. declared

  @Nested
  class Declared {
    @Test
    void aDeclaredOutcomeWinsOverEveryRule() {
      // would be BLOCKED (rejected last) and has failures: the session's own word is taken as is
      Facts f = session().failed(T0 + MIN).rejected(T0 + 2 * MIN).declared("  success  ");
      assertVerdict(Outcome.SUCCESS, "declared by the session (success)", f.judge());
    }

    @Test
    void anOutcomeFileIsNamedInTheReason() {
      Facts f = session().failed(T0 + MIN).declaredIn("/p/.claude/.session_outcome", "SUCCESS: shipped it");
      assertVerdict(Outcome.SUCCESS, "declared in /p/.claude/.session_outcome (SUCCESS: shipped it)", f.judge());
    }

    @Test
    void aDeclaredOutcomeWinsEvenWithoutActivity() {
      Facts f = session().declared("FAILED");
      f.prompts = 0;
      f.requests = 0;
      assertVerdict(Outcome.FAILED, "declared by the session (FAILED)", f.judge());
    }

    @Test
    void anUnknownDeclarationFallsThroughToTheRules() {
      assertVerdict(Outcome.SUCCESS, "no unresolved failure", session().ok(T0 + MIN).declared("UNKNOWN").judge());
      assertVerdict(Outcome.FAILED, "the last tool result failed", session().failed(T0 + MIN).declared("meh").judge());
    }

    @Test
    void aDeclaredSessionStillReportsItsErrorStorm() {
      Facts f = session().declared("partial");
      for (int i = 0; i < 5; i++) {
        f.failed(T0 + i * MIN);
      }
      SessionOutcomes.Verdict v = f.ok(T0 + 6 * MIN).judge();
      assertEquals(Outcome.PARTIAL, v.outcome());
      assertTrue(v.errorStorm());
    }
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      nullValues = "null",
      value = {
        "SUCCESS, SUCCESS", "success, SUCCESS", "'  Success: shipped it', SUCCESS", "ok, SUCCESS", "done, SUCCESS",
        "completed, SUCCESS", "pass, SUCCESS",
        "PARTIAL, PARTIAL", "partially done, PARTIAL",
        "BLOCKED, BLOCKED", "blocked on review, BLOCKED", "rejected, BLOCKED", "abandoned, BLOCKED",
        "interrupted, BLOCKED",
        "FAILED, FAILED", "failure, FAILED", "fail, FAILED", "error, FAILED", "errored out, FAILED", "broken, FAILED",
        "UNKNOWN, null", "meh, null", "'', null", "'   ', null", "okay-ish, null"
      })
  void declaredOutcomesParse(String declared, Outcome expected) {
    assertEquals(expected, Outcome.parse(declared));
  }

  @Test
  void nothingDeclaredParsesToNothing() {
    assertNull(Outcome.parse(null));
  }

  // ---------------------------------------------------------------------------- 2. no activity

  @Test
  void aSessionWithoutPromptsRequestsOrToolCallsHasNoOutcome() {
    Facts f = session();
    f.prompts = 0;
    f.requests = 0;
    SessionOutcomes.Verdict v = f.judge();
    assertVerdict(null, "no activity", v);
    assertFalse(v.errorStorm());
  }

  @Test
  void anyOneKindOfActivityIsEnoughToJudge() {
    Facts promptOnly = session();
    promptOnly.requests = 0;
    promptOnly.lastResponse = 0;
    assertEquals(Outcome.SUCCESS, promptOnly.judge().outcome());
    Facts requestOnly = session();
    requestOnly.prompts = 0;
    assertEquals(Outcome.SUCCESS, requestOnly.judge().outcome());
  }

  // --------------------------------------------------------------------------------- 3. BLOCKED

  @Nested
  class Blocked {
    @Test
    void whenTheLastToolResultWasRejected() {
      assertVerdict(
          Outcome.BLOCKED, "the user rejected the last tool use",
          session().ok(T0 + MIN).rejected(T0 + 2 * MIN).judge());
    }

    @Test
    void aRejectionBeforeTheLastResultIsOnlyPartial() {
      assertVerdict(
          Outcome.PARTIAL, "recovered after 0 tool errors, 1 rejections, 0 interruptions",
          session().rejected(T0 + MIN).ok(T0 + 2 * MIN).judge());
    }

    @Test
    void whenTheUserInterruptedAfterTheLastToolResult() {
      assertVerdict(
          Outcome.BLOCKED, "the user interrupted after the last tool result",
          session().ok(T0 + MIN).interrupted(T0 + 2 * MIN).judge());
    }

    @Test
    void anInterruptionAtTheSameMillisecondAsTheLastResultCounts() {
      assertEquals(Outcome.BLOCKED, session().ok(T0 + MIN).interrupted(T0 + MIN).judge().outcome());
    }

    @Test
    void anInterruptionBeforeTheLastResultIsOnlyPartial() {
      assertVerdict(
          Outcome.PARTIAL, "recovered after 0 tool errors, 0 rejections, 1 interruptions",
          session().ok(T0 + MIN).interrupted(T0 + 2 * MIN).ok(T0 + 3 * MIN).judge());
    }

    @Test
    void anInterruptionWithoutAnyToolResultIsABlock() {
      assertEquals(Outcome.BLOCKED, session().interrupted(T0 + MIN).judge().outcome());
    }

    /** The user stopped the agent, asked something else and got an answer (no tools needed): recovered. */
    @Test
    void anInterruptionTheConversationWentOnAfterIsRecovered() {
      assertVerdict(
          Outcome.PARTIAL, "recovered after 0 tool errors, 0 rejections, 1 interruptions",
          session().ok(T0 + MIN).interrupted(T0 + 2 * MIN).response(T0 + 3 * MIN).judge());
      assertEquals(Outcome.PARTIAL, session().interrupted(T0 + MIN).response(T0 + 2 * MIN).judge().outcome());
    }

    /** The user said no, then asked for something else and got an answer: recovered, not failed. */
    @Test
    void aRejectionTheConversationWentOnAfterIsRecovered() {
      assertVerdict(
          Outcome.PARTIAL, "recovered after 0 tool errors, 1 rejections, 0 interruptions",
          session().ok(T0 + MIN).rejected(T0 + 2 * MIN).response(T0 + 3 * MIN).judge());
    }

    @Test
    void anAnswerWrittenBeforeTheInterruptionDoesNotCount() {
      // the answer being streamed when the user pressed Esc is written before the marker
      assertEquals(
          Outcome.BLOCKED, session().ok(T0 + MIN).response(T0 + 2 * MIN).interrupted(T0 + 2 * MIN).judge().outcome());
      assertEquals(
          Outcome.BLOCKED, session().ok(T0 + MIN).response(T0 + 2 * MIN).interrupted(T0 + 3 * MIN).judge().outcome());
    }

    /** d3ad4cdc (sniffly): its last line asks for "python radical_musical_ai.py", which never returned. */
    @Test
    void whenTheLastToolCallNeverGotAResult() {
      assertVerdict(
          Outcome.BLOCKED, "the last tool call never got a result (the session stopped while it ran)",
          session().failed(T0 + MIN).ok(T0 + 2 * MIN).openCall(T0 + 3 * MIN).judge());
    }

    @Test
    void aCallWithoutResultBeforeTheLastResultIsNoBlock() {
      // a result lost, or a tool that reports elsewhere: later results show the session went on
      assertEquals(Outcome.SUCCESS, session().openCall(T0 + MIN).ok(T0 + 2 * MIN).judge().outcome());
    }

    @Test
    void aCallWithoutResultTheConversationWentOnAfterIsNoBlock() {
      assertEquals(Outcome.SUCCESS, session().ok(T0 + MIN).openCall(T0 + 2 * MIN).response(T0 + 3 * MIN).judge().outcome());
    }

    @Test
    void anInterruptionAfterAnOpenCallIsNamedAsSuch() {
      assertVerdict(
          Outcome.BLOCKED, "the user interrupted after the last tool result",
          session().ok(T0 + MIN).openCall(T0 + 2 * MIN).interrupted(T0 + 3 * MIN).judge());
    }

    @Test
    void whenTheLastRequestWasAnApiError() {
      assertVerdict(
          Outcome.BLOCKED, "the last API request failed (rate or usage limit)",
          session().ok(T0 + MIN).apiError(T0 + 2 * MIN).judge());
    }

    @Test
    void anApiErrorAtTheSameMillisecondAsTheLastAnswerIsABlock() {
      assertEquals(Outcome.BLOCKED, session().ok(T0 + MIN).response(T0 + 2 * MIN).apiError(T0 + 2 * MIN).judge().outcome());
    }

    @Test
    void anApiErrorFollowedByAnAnsweredRequestIsNotABlock() {
      assertEquals(
          Outcome.SUCCESS, session().ok(T0 + MIN).apiError(T0 + 2 * MIN).response(T0 + 3 * MIN).judge().outcome());
    }
  }

  // ---------------------------------------------------------------------------------- 4. FAILED

  @Nested
  class Failed {
    @Test
    void whenTheLastToolResultFailed() {
      assertVerdict(Outcome.FAILED, "the last tool result failed", session().ok(T0 + MIN).failed(T0 + 2 * MIN).judge());
    }

    @Test
    void whenThreeOfTheLastFiveFailed() {
      Facts f = session().failed(T0 + MIN).failed(T0 + 2 * MIN).ok(T0 + 3 * MIN).failed(T0 + 4 * MIN).ok(T0 + 5 * MIN);
      assertVerdict(Outcome.FAILED, "3 of the last 5 tool results failed", f.judge());
    }

    @Test
    void twoOfTheLastFiveIsOnlyPartial() {
      Facts f = session().ok(T0 + MIN).failed(T0 + 2 * MIN).ok(T0 + 3 * MIN).failed(T0 + 4 * MIN).ok(T0 + 5 * MIN);
      assertVerdict(Outcome.PARTIAL, "recovered after 2 tool errors, 0 rejections, 0 interruptions", f.judge());
    }

    @Test
    void failuresBeforeTheLastFiveAreRecovered() {
      Facts f = session();
      for (int i = 0; i < 3; i++) {
        f.failed(T0 + i * MIN);
      }
      for (int i = 3; i < 8; i++) {
        f.ok(T0 + i * MIN);
      }
      assertEquals(Outcome.PARTIAL, f.judge().outcome());
    }

    @Test
    void rejectionsAmongTheLastFiveAreNotFailures() {
      Facts f = session().failed(T0 + MIN).rejected(T0 + 2 * MIN).rejected(T0 + 3 * MIN).failed(T0 + 4 * MIN)
          .ok(T0 + 5 * MIN);
      assertEquals(Outcome.PARTIAL, f.judge().outcome());
    }
  }

  // ----------------------------------------------------------------------------- 5. rule order

  @Nested
  class Order {
    @Test
    void aRejectionOutranksFailures() {
      Facts f = session().failed(T0 + MIN).failed(T0 + 2 * MIN).failed(T0 + 3 * MIN).rejected(T0 + 4 * MIN);
      assertVerdict(Outcome.BLOCKED, "the user rejected the last tool use", f.judge());
    }

    @Test
    void anInterruptionAfterAFailureIsABlockNotAFailure() {
      Facts f = session().failed(T0 + MIN).interrupted(T0 + 2 * MIN);
      assertVerdict(Outcome.BLOCKED, "the user interrupted after the last tool result", f.judge());
    }

    @Test
    void anApiErrorAfterAFailureIsABlockNotAFailure() {
      Facts f = session().failed(T0 + MIN).apiError(T0 + 2 * MIN);
      assertVerdict(Outcome.BLOCKED, "the last API request failed (rate or usage limit)", f.judge());
    }

    @Test
    void theRejectionReasonComesBeforeTheInterruptionReason() {
      // Claude Code writes "[Request interrupted by user for tool use]" right after a rejection
      Facts f = session().rejected(T0 + MIN).interrupted(T0 + MIN);
      assertVerdict(Outcome.BLOCKED, "the user rejected the last tool use", f.judge());
    }
  }

  // ------------------------------------------------------------------------- 6. PARTIAL, SUCCESS

  @Test
  void partialNamesWhatWasRecoveredFrom() {
    Facts f = session().failed(T0 + MIN).rejected(T0 + 2 * MIN).interrupted(T0 + 3 * MIN).ok(T0 + 4 * MIN);
    assertVerdict(Outcome.PARTIAL, "recovered after 1 tool errors, 1 rejections, 1 interruptions", f.judge());
  }

  @Test
  void aCleanSessionSucceeds() {
    assertVerdict(Outcome.SUCCESS, "no unresolved failure", session().ok(T0 + MIN).ok(T0 + 2 * MIN).judge());
  }

  @Test
  void aConversationWithoutToolsSucceeds() {
    assertVerdict(Outcome.SUCCESS, "no unresolved failure", session().response(T0 + MIN).judge());
  }

  // ------------------------------------------------------------------------------ error storm

  @Nested
  class ErrorStorm {
    final long window = SessionOutcomes.STORM_WINDOW.toMillis();

    @Test
    void theRuleIsFiveFailuresWithinTenMinutes() {
      assertEquals(5, SessionOutcomes.STORM_ERRORS);
      assertEquals(Duration.ofMinutes(10), SessionOutcomes.STORM_WINDOW);
    }

    @Test
    void fiveFailuresInExactlyTenMinutesAreAStorm() {
      assertTrue(storm(T0, T0 + 1, T0 + 2, T0 + 3, T0 + window));
    }

    @Test
    void fiveFailuresInTenMinutesAndOneMillisecondAreNot() {
      assertFalse(storm(T0, T0 + 1, T0 + 2, T0 + 3, T0 + window + 1));
    }

    @Test
    void fourFailuresAreNeverAStorm() {
      assertFalse(storm(T0, T0 + 1, T0 + 2, T0 + 3));
    }

    @Test
    void anyFiveConsecutiveFailuresCanMakeIt() {
      // spread out at first, then five within four minutes
      assertTrue(storm(T0, T0 + 20 * MIN, T0 + 21 * MIN, T0 + 22 * MIN, T0 + 23 * MIN, T0 + 24 * MIN));
      assertFalse(storm(T0, T0 + 11 * MIN, T0 + 22 * MIN, T0 + 33 * MIN, T0 + 44 * MIN, T0 + 55 * MIN));
    }

    @Test
    void aStormIsAFlagBesideTheOutcomeNotAnOutcome() {
      Facts f = session();
      for (int i = 0; i < 5; i++) {
        f.failed(T0 + i * MIN);
      }
      // three good results since: recovered, but it was a storm
      SessionOutcomes.Verdict recovered = f.ok(T0 + 6 * MIN).ok(T0 + 7 * MIN).ok(T0 + 8 * MIN).judge();
      assertEquals(Outcome.PARTIAL, recovered.outcome());
      assertTrue(recovered.errorStorm());
    }

    private boolean storm(long... times) {
      Facts f = session();
      for (long t : times) {
        f.failed(t);
      }
      f.ok(times[times.length - 1] + MIN);
      return f.judge().errorStorm();
    }
  }
}
