package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

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

  /**
   * {@code context_bundles/*.json}, a per-session JSON document rewritten after every tool use, listing
   * its {@code operations}. Each operation yields TOOL_CALL ({@code tool} from {@code operation}:
   * {@code read} → {@code Read}, {@code bash} → {@code Bash}, …; attrs {@code filePath}, {@code command}
   * redacted, {@code description}, {@code subagentType}); file operations also FILE_TOUCH ({@code op}
   * read/write/edit) and {@code task} also SUBAGENT {@code phase=spawn}. Key:
   * {@code cb:<session>:<index>:<timestamp>}: operations are only appended, so every rewrite repeats
   * the same keys and only new operations are new events.
   */
  static final class ContextBundle implements WholeFileParser {
    static final ContextBundle INSTANCE = new ContextBundle();

    private ContextBundle() {}

    @Override
    public void parse(byte[] content, ParseContext ctx) throws BadLineException {
      JsonNode doc = WholeJson.read(content);
      if (doc == null) {
        return;
      }
      String session = Lines.sessionId(doc);
      if (session == null) {
        session = sessionFromName(ctx.file().stem());
      }
      Instant created = Timestamps.first(doc, "created_at", "timestamp");
      JsonNode ops = JsonFields.array(doc, "operations");
      if (ops == null) {
        return;
      }
      for (int i = 0; i < ops.size(); i++) {
        JsonNode op = ops.get(i);
        String operation = JsonFields.text(op, "operation");
        if (operation == null) {
          continue;
        }
        Instant ts = Timestamps.parse(op.get("timestamp"));
        String key = "cb:" + (session != null ? session : ctx.positionKey()) + ':' + i + ':'
            + JsonFields.scalar(op, "timestamp");
        String tool = toolName(operation);
        String filePath = JsonFields.text(op, "file_path");
        Event.Builder call = ctx.event(EventKind.TOOL_CALL)
            .ts(ts != null ? ts : created)
            .sessionId(session)
            .tool(tool)
            .attr("filePath", filePath)
            .attr("command", FreeText.command(JsonFields.text(op, "command")))
            .attr("description", FreeText.label(JsonFields.text(op, "description")))
            .attr("subagentType", JsonFields.text(op, "subagent_type"));
        ctx.emit(call, key);
        String touch = fileOp(operation);
        if (touch != null && filePath != null) {
          Event.Builder b = ctx.event(EventKind.FILE_TOUCH)
              .ts(ts != null ? ts : created)
              .sessionId(session)
              .tool(tool)
              .attr("filePath", filePath)
              .attr("op", touch)
              .attr("contentLength", JsonFields.scalar(op, "content_length"));
          ctx.emit(b, key);
        }
        if ("task".equalsIgnoreCase(operation) || "agent".equalsIgnoreCase(operation)) {
          Event.Builder b = ctx.event(EventKind.SUBAGENT)
              .ts(ts != null ? ts : created)
              .sessionId(session)
              .tool(tool)
              .attr("phase", "spawn")
              .attr("subagentType", JsonFields.text(op, "subagent_type"))
              .attr("description", FreeText.label(JsonFields.text(op, "description")));
          ctx.emit(b, key);
        }
      }
    }

    /** {@code 20_oct_session_<uuid>} → the uuid. */
    static String sessionFromName(String stem) {
      int at = stem.lastIndexOf("session_");
      return at < 0 ? null : stem.substring(at + "session_".length());
    }

    /** The bundle writes lower-case tool names; the transcripts' spelling keeps tool statistics joined. */
    static String toolName(String operation) {
      return switch (operation) {
        case "read" -> "Read";
        case "write" -> "Write";
        case "edit" -> "Edit";
        case "multiedit" -> "MultiEdit";
        case "bash" -> "Bash";
        case "task" -> "Task";
        case "glob" -> "Glob";
        case "grep" -> "Grep";
        case "webfetch" -> "WebFetch";
        case "websearch" -> "WebSearch";
        case "todowrite" -> "TodoWrite";
        case "notebookedit" -> "NotebookEdit";
        default -> operation;
      };
    }

    private static String fileOp(String operation) {
      return switch (operation) {
        case "read" -> "read";
        case "write" -> "write";
        case "edit", "multiedit", "notebookedit" -> "edit";
        default -> null;
      };
    }
  }

  /**
   * {@code .session_outcome}, a small text file the user writes at the end of a session, either one line
   * ({@code ✅ SUCCESS: Implemented feature X}) or {@code Key: value} lines ({@code Status: PARTIAL},
   * {@code Summary: …}, {@code Next: …}). Yields OUTCOME with {@code outcome} (SUCCESS, PARTIAL, BLOCKED,
   * FAILED, else UNKNOWN), {@code success} (true for SUCCESS, false for FAILED/BLOCKED), {@code summary}
   * (redacted) and the other {@code Key: value} pairs as lower-case attributes. The file names no session
   * and no time: {@code ts} is the ingestion time and the store links it to a session by time. Key: the
   * stream, the day of ingestion and the content, so a re-read is the same event while the same words
   * written on another day (or in another project) are a new one.
   */
  static final class SessionOutcome implements WholeFileParser {
    static final SessionOutcome INSTANCE = new SessionOutcome();

    private static final String[] OUTCOMES = {"SUCCESS", "PARTIAL", "BLOCKED", "FAILED"};
    private static final int MAX_ATTRS = 12;

    private SessionOutcome() {}

    @Override
    public void parse(byte[] content, ParseContext ctx) throws BadLineException {
      String text = new String(content, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        return;
      }
      Event.Builder b = ctx.event(EventKind.OUTCOME);
      String status = null;
      String firstLine = null;
      int attrs = 0;
      for (String raw : text.split("\\R")) {
        String l = raw.strip();
        if (l.isEmpty()) {
          continue;
        }
        if (firstLine == null) {
          firstLine = l;
        }
        int colon = l.indexOf(':');
        if (colon > 0 && colon <= 20 && isWord(l, colon)) {
          String key = l.substring(0, colon).toLowerCase(Locale.ROOT);
          String value = l.substring(colon + 1).strip();
          if (key.equals("status") || key.equals("outcome")) {
            status = value;
          } else if (attrs < MAX_ATTRS && classify(key).equals("UNKNOWN")) {
            b.attr(key, FreeText.command(value));
            attrs++;
          }
        }
      }
      String outcome = classify(status != null ? status : firstLine);
      if (status == null) {
        int colon = firstLine.indexOf(':');
        b.attr("summary", FreeText.command(colon >= 0 ? firstLine.substring(colon + 1).strip() : firstLine));
      }
      b.attr("outcome", outcome)
          .success(outcome.equals("SUCCESS") ? Boolean.TRUE
              : outcome.equals("FAILED") || outcome.equals("BLOCKED") ? Boolean.FALSE : null);
      String day = ctx.ingestedAt() == null ? "" : ctx.ingestedAt().toString().substring(0, 10);
      ctx.emit(b, "outcome:" + ctx.positionKey() + ':' + day + ':' + text);
    }

    private static boolean isWord(String l, int end) {
      for (int i = 0; i < end; i++) {
        char c = l.charAt(i);
        if (!Character.isLetter(c) && c != '_' && c != '-') {
          return false;
        }
      }
      return true;
    }

    static String classify(String text) {
      String upper = text == null ? "" : text.toUpperCase(Locale.ROOT);
      for (String outcome : OUTCOMES) {
        if (upper.contains(outcome)) {
          return outcome;
        }
      }
      if (upper.contains("FAIL")) {
        return "FAILED";
      }
      return "UNKNOWN";
    }
  }
}
