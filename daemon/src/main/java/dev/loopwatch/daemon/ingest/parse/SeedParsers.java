package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.time.Instant;

/**
 * The logs of the hook scripts Loopwatch grew out of (DESIGN §4, {@code seeds/}). Their formats are
 * whatever those scripts wrote, so each mapping is lenient: fields that clearly mean something become
 * the matching event kind, anything else is kept as scalar attributes ({@link ScalarAttrs}). Natural keys
 * are the line's position unless the line carries a globally unique id, because ids in these logs
 * ({@code exec_001}) are only unique within one file.
 *
 * <p>These logs largely re-describe what transcripts already hold (a tool failure logged by a hook is
 * also a transcript tool_result): their events keep their own {@code source}, so the store can tell
 * them apart and prefer the transcript's.
 *
 * <p>The two seed sources rewritten whole have their own classes: {@link ContextBundleParser} and
 * {@link SessionOutcomeParser}.
 */
final class SeedParsers {
  private SeedParsers() {}

  /**
   * {@code stats/session_metrics.jsonl}, a status-line snapshot every refresh: SESSION_STATE
   * {@code state=metrics} with {@code model}, {@code costUSD}, {@code contextPercent},
   * {@code durationMinutes}, {@code linesAdded}/{@code linesRemoved}, the token totals and, when present,
   * the {@code context} block ({@code gitBranch}, {@code task}, {@code agentName}, {@code workingDir}).
   * Not API_USAGE: the numbers are cumulative session totals, not one request's.
   */
  static final class SessionMetrics implements LineParser {
    static final SessionMetrics INSTANCE = new SessionMetrics();

    private SessionMetrics() {}

    @Override
    public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
      Lines.requireObject(line);
      JsonNode tokens = JsonFields.object(line, "tokens");
      JsonNode lines = JsonFields.object(line, "lines_changed");
      JsonNode context = JsonFields.object(line, "context");
      Event.Builder b = ctx.event(EventKind.SESSION_STATE)
          .ts(Timestamps.first(line, "timestamp", "ts"))
          .sessionId(Lines.sessionId(line))
          .model(JsonFields.text(line, "model"))
          .attr("state", "metrics")
          .attr("model", JsonFields.text(line, "model"))
          .attr("costUSD", JsonFields.decimal(line.get("cost_usd")))
          .attr("contextPercent", JsonFields.scalar(line, "context_percent"))
          .attr("durationMinutes", JsonFields.scalar(line, "duration_minutes"))
          .attr("linesAdded", JsonFields.scalar(lines, "added"))
          .attr("linesRemoved", JsonFields.scalar(lines, "removed"))
          .attr("inputTokens", JsonFields.scalar(tokens, "input"))
          .attr("outputTokens", JsonFields.scalar(tokens, "output"))
          .attr("cacheCreationTokens", JsonFields.scalar(tokens, "cache_creation"))
          .attr("cacheReadTokens", JsonFields.scalar(tokens, "cache_read"))
          .attr("gitBranch", JsonFields.text(context, "git_branch"))
          .attr("task", FreeText.label(JsonFields.text(context, "task_description")))
          .attr("agentName", JsonFields.text(context, "agent_name"))
          .attr("workingDir", JsonFields.text(context, "working_dir"));
      ctx.emit(b, ctx.positionKey());
    }
  }

  /**
   * {@code stats/session_events.jsonl}, written by a PostToolUse hook for failed tools: TOOL_RESULT with
   * {@code tool} = {@code tool_name}, {@code success} false when there is an {@code error_message} (else
   * the line's {@code success}), {@code error} (redacted) and {@code eventType} ({@code error},
   * {@code failure}, {@code tdd_block}, {@code hook_block}, {@code test_failure}, {@code timeout}).
   */
  static final class SessionEvents implements LineParser {
    static final SessionEvents INSTANCE = new SessionEvents();

    private SessionEvents() {}

    @Override
    public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
      Lines.requireObject(line);
      String error = JsonFields.text(line, "error_message");
      Boolean success = error != null ? Boolean.FALSE : JsonFields.bool(line, "success");
      Event.Builder b = ctx.event(EventKind.TOOL_RESULT)
          .ts(Timestamps.first(line, "timestamp", "ts"))
          .sessionId(Lines.sessionId(line))
          .tool(JsonFields.text(line, "tool_name"))
          .success(success)
          .error(FreeText.error(error))
          .attr("eventType", JsonFields.text(line, "event_type"));
      ctx.emit(b, ctx.positionKey());
    }
  }

  /**
   * {@code logs/self-healing/*.jsonl}, told apart by shape:
   *
   * <ul>
   *   <li>{@code service} + {@code action}/{@code result} (service-restarts / services):
   *       SERVICE_RESTART when {@code action=restart} ({@code success} = {@code result=success};
   *       {@code rate_limited}, {@code attempting} and the like leave it open), else SERVICE_CHECK; attrs
   *       {@code service}, {@code action}, {@code result};
   *   <li>{@code tool} + {@code error}/{@code error_signature} (failure-catalog): TOOL_RESULT
   *       {@code success=false} with the error (redacted) and {@code signature} = {@code error_signature};
   *   <li>a file named {@code *escalat*}: ESCALATION with scalar attributes;
   *   <li>anything else (config-tuning, …): RAW with scalar attributes.
   * </ul>
   */
  static final class SelfHealing implements LineParser {
    static final SelfHealing INSTANCE = new SelfHealing();

    private SelfHealing() {}

    @Override
    public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
      Lines.requireObject(line);
      Instant ts = Timestamps.first(line, GenericJsonlParser.TIME_FIELDS);
      String service = JsonFields.text(line, "service");
      String tool = JsonFields.text(line, "tool");
      if (tool == null) {
        tool = JsonFields.text(line, "tool_name");
      }
      Event.Builder b;
      if (service != null && (line.has("action") || line.has("result"))) {
        String action = JsonFields.text(line, "action");
        String result = JsonFields.text(line, "result");
        b = ctx.event("restart".equals(action) ? EventKind.SERVICE_RESTART : EventKind.SERVICE_CHECK)
            .attr("service", service)
            .attr("action", action)
            .attr("result", result)
            .success(outcome(result));
      } else if (tool != null && (line.has("error") || line.has("error_signature"))) {
        b = ctx.event(EventKind.TOOL_RESULT)
            .tool(tool)
            .success(false)
            .error(FreeText.error(JsonFields.text(line, "error")))
            .signature(JsonFields.text(line, "error_signature"))
            .project(JsonFields.text(line, "project"))
            .attr("inputSummary", FreeText.command(JsonFields.text(line, "input_summary")));
      } else {
        String name = ctx.file().path().getFileName().toString();
        b = ctx.event(name.contains("escalat") ? EventKind.ESCALATION : EventKind.RAW);
        ScalarAttrs.copy(line, b);
      }
      b.ts(ts).sessionId(Lines.sessionId(line));
      ctx.emit(b, ctx.positionKey());
    }

    /** {@code success}/{@code failed_*} decide; progress and skip states ({@code attempting}, {@code rate_limited}) do not. */
    private static Boolean outcome(String result) {
      if (result == null) {
        return null;
      }
      if (result.equals("success") || result.equals("ok") || result.equals("healthy")) {
        return Boolean.TRUE;
      }
      return result.startsWith("fail") || result.equals("error") ? Boolean.FALSE : null;
    }
  }

  /**
   * {@code logs/session-metrics.jsonl}, one summary per ended session (tool call counts, duration, agent
   * spawns, hot files): SESSION_STATE {@code state=metrics} with the scalar fields as attributes and
   * {@code durationMs} from {@code duration_min}.
   */
  static final class LogSessionMetrics implements LineParser {
    static final LogSessionMetrics INSTANCE = new LogSessionMetrics();

    private LogSessionMetrics() {}

    @Override
    public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
      Lines.requireObject(line);
      Double minutes = JsonFields.real(line, "duration_min");
      Event.Builder b = ctx.event(EventKind.SESSION_STATE)
          .ts(Timestamps.first(line, GenericJsonlParser.TIME_FIELDS))
          .sessionId(Lines.sessionId(line))
          .durationMs(minutes == null || minutes < 0 ? null : Math.round(minutes * 60_000));
      ScalarAttrs.copy(line, b);
      b.attr("state", "metrics");
      ctx.emit(b, ctx.positionKey());
    }
  }

  /**
   * {@code observations/*.jsonl}, a PostToolUse(Failure) hook's log of every tool use: TOOL_RESULT with
   * {@code tool}, {@code success} (from {@code success}, {@code is_error}, an {@code error} field, or a
   * {@code PostToolUseFailure} event name), {@code filePath} (the first of {@code files}) and a short
   * redacted {@code summary}. A {@code pre_compact} line (compaction-log) is COMPACTION; anything else RAW.
   */
  static final class Observations implements LineParser {
    static final Observations INSTANCE = new Observations();

    private Observations() {}

    @Override
    public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
      Lines.requireObject(line);
      String tool = JsonFields.text(line, "tool");
      if (tool == null) {
        tool = JsonFields.text(line, "tool_name");
      }
      String event = JsonFields.text(line, "event");
      Event.Builder b;
      if (tool != null) {
        String error = JsonFields.text(line, "error");
        b = ctx.event(EventKind.TOOL_RESULT)
            .tool(tool)
            .success(success(line, event, error))
            .error(FreeText.error(error))
            .project(JsonFields.text(line, "project"))
            .attr("summary", FreeText.label(JsonFields.text(line, "summary")))
            .attr("filePath", firstText(JsonFields.array(line, "files")));
      } else if ("pre_compact".equals(event) || "compaction".equals(event)) {
        b = ctx.event(EventKind.COMPACTION)
            .attr("trigger", JsonFields.text(line, "trigger"))
            .attr("observationCount", JsonFields.scalar(line, "observation_count"));
      } else {
        b = ctx.event(EventKind.RAW);
        ScalarAttrs.copy(line, b);
      }
      String session = Lines.sessionId(line);
      b.ts(Timestamps.first(line, GenericJsonlParser.TIME_FIELDS))
          .sessionId(session != null ? session : JsonFields.text(line, "sid"));
      ctx.emit(b, ctx.positionKey());
    }

    private static Boolean success(JsonNode line, String event, String error) {
      Boolean success = JsonFields.bool(line, "success");
      if (success != null) {
        return success;
      }
      Boolean isError = JsonFields.bool(line, "is_error");
      if (isError != null) {
        return !isError;
      }
      if (error != null || "PostToolUseFailure".equals(event)) {
        return Boolean.FALSE;
      }
      return "PostToolUse".equals(event) ? Boolean.TRUE : null;
    }

    private static String firstText(JsonNode array) {
      if (array != null) {
        for (JsonNode v : array) {
          if (v.isTextual() && !v.textValue().isEmpty()) {
            return v.textValue();
          }
        }
      }
      return null;
    }
  }

  /**
   * {@code v3/self-learning/execution-log.jsonl}, one line per slash-command run: CLI_ACTION with
   * {@code command} (redacted), {@code execId}, {@code domain}, {@code relatedTo}.
   */
  static final class ExecutionLog implements LineParser {
    static final ExecutionLog INSTANCE = new ExecutionLog();

    private ExecutionLog() {}

    @Override
    public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
      Lines.requireObject(line);
      Event.Builder b = ctx.event(EventKind.CLI_ACTION)
          .ts(Timestamps.first(line, GenericJsonlParser.TIME_FIELDS))
          .sessionId(Lines.sessionId(line))
          .attr("command", FreeText.command(JsonFields.text(line, "command")))
          .attr("execId", JsonFields.scalar(line, "id"))
          .attr("domain", JsonFields.text(line, "domain"))
          .attr("relatedTo", JsonFields.scalar(line, "related_to"));
      ctx.emit(b, ctx.positionKey());
    }
  }

  /**
   * {@code v3/self-learning/outcomes.jsonl}, the result of an execution: OUTCOME with {@code outcome},
   * {@code success} ({@code success} → true, {@code failure}/{@code failed} → false), {@code execId},
   * {@code qualityScore} and the {@code evidence} ({@code testsPassed}, {@code buildSucceeded},
   * {@code codeReviewIssues}, {@code userAction}, {@code error} redacted).
   */
  static final class Outcomes implements LineParser {
    static final Outcomes INSTANCE = new Outcomes();

    private Outcomes() {}

    @Override
    public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
      Lines.requireObject(line);
      String outcome = JsonFields.text(line, "outcome");
      JsonNode evidence = JsonFields.object(line, "evidence");
      String error = JsonFields.text(evidence, "error");
      Event.Builder b = ctx.event(EventKind.OUTCOME)
          .ts(Timestamps.first(line, GenericJsonlParser.TIME_FIELDS))
          .sessionId(Lines.sessionId(line))
          .success(outcome == null ? null
              : outcome.equalsIgnoreCase("success") ? Boolean.TRUE
              : outcome.equalsIgnoreCase("failure") || outcome.equalsIgnoreCase("failed") ? Boolean.FALSE
              : null)
          .error(FreeText.error(error))
          .attr("outcome", outcome)
          .attr("execId", JsonFields.scalar(line, "exec_id"))
          .attr("qualityScore", JsonFields.scalar(line, "quality_score"))
          .attr("testsPassed", JsonFields.boolText(evidence, "tests_passed"))
          .attr("buildSucceeded", JsonFields.boolText(evidence, "build_succeeded"))
          .attr("codeReviewIssues", JsonFields.scalar(evidence, "code_review_issues"))
          .attr("userAction", JsonFields.text(evidence, "user_action"));
      ctx.emit(b, ctx.positionKey());
    }
  }
}
