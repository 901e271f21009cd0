package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;

/**
 * The logs of devloop ({@code .devloop/}, seeds/003), an agent runner whose "agents" are linters, test
 * runners and formatters rather than Claude subagents. Formats as its writers define them (telemetry,
 * audit logger, feedback store, performance monitor, action logger, Amp thread mapper). Keys are the
 * line's position unless the line carries a globally unique id.
 */
final class DevloopParsers {
  private DevloopParsers() {}

  /**
   * {@code events.jsonl} (telemetry), by {@code event_type}: {@code agent_executed} → TOOL_RESULT with
   * {@code tool} = the agent, {@code success}, {@code durationMs}, {@code findings},
   * {@code severityLevels}; {@code pre_commit_check}/{@code pre_push_check} → TOOL_RESULT with
   * {@code tool} = the check, {@code checksRun}, {@code preventedBadPush}; anything else
   * ({@code agent_finding}, {@code ci_roundtrip_prevented}, {@code value_event}) → RAW with the scalar
   * fields and those of {@code details}.
   */
  static final class Events implements LineParser {
    static final Events INSTANCE = new Events();

    private Events() {}

    @Override
    public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
      Lines.requireObject(line);
      String type = JsonFields.text(line, "event_type");
      JsonNode details = JsonFields.object(line, "details");
      Event.Builder b;
      if ("agent_executed".equals(type)) {
        b = ctx.event(EventKind.TOOL_RESULT)
            .tool(JsonFields.text(line, "agent"))
            .attr("findings", JsonFields.scalar(line, "findings"))
            .attr("severityLevels", joined(JsonFields.array(line, "severity_levels")));
      } else if ("pre_commit_check".equals(type) || "pre_push_check".equals(type)) {
        b = ctx.event(EventKind.TOOL_RESULT)
            .tool(type)
            .attr("checksRun", JsonFields.scalar(details, "checks_run"))
            .attr("preventedBadPush", JsonFields.boolText(details, "prevented_bad_push"));
      } else {
        b = ctx.event(EventKind.RAW);
        int copied = ScalarAttrs.copy(line, b, "", ScalarAttrs.DEFAULT_MAX_FIELDS);
        ScalarAttrs.copy(details, b, "details.", ScalarAttrs.DEFAULT_MAX_FIELDS - copied);
      }
      b.ts(Timestamps.first(line, GenericJsonlParser.TIME_FIELDS))
          .success(JsonFields.bool(line, "success"))
          .durationMs(nonNegative(JsonFields.number(line, "duration_ms")))
          .attr("eventType", type);
      ctx.emit(b, ctx.positionKey());
    }
  }

  /**
   * {@code agent-audit.log} (JSON lines despite the name), one per agent action: file actions
   * ({@code file_modified}/{@code file_created}/{@code file_deleted}/{@code fix_applied}) yield FILE_TOUCH
   * per entry of {@code file_modifications} ({@code op} edit/create/delete/fix, {@code filePath},
   * {@code linesBefore}/{@code linesAfter}, {@code agent}); command and error actions
   * ({@code command_executed}, {@code error_occurred}) yield TOOL_RESULT with {@code tool} = the agent,
   * {@code success}, {@code durationMs}, {@code error}, {@code command} and {@code exitCode}; findings
   * and config changes are RAW.
   */
  static final class Audit implements LineParser {
    static final Audit INSTANCE = new Audit();

    private Audit() {}

    @Override
    public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
      Lines.requireObject(line);
      String action = JsonFields.text(line, "action_type");
      String agent = JsonFields.text(line, "agent_name");
      JsonNode ts = line.get("timestamp");
      JsonNode mods = JsonFields.array(line, "file_modifications");
      String fileOp = action == null ? null : switch (action) {
        case "file_modified" -> "edit";
        case "file_created" -> "create";
        case "file_deleted" -> "delete";
        case "fix_applied" -> "fix";
        default -> null;
      };
      if (fileOp != null && mods != null && mods.size() > 0) {
        for (int i = 0; i < mods.size(); i++) {
          JsonNode mod = mods.get(i);
          Event.Builder b = ctx.event(EventKind.FILE_TOUCH)
              .ts(Timestamps.parse(ts))
              .tool(agent)
              .success(JsonFields.bool(line, "success"))
              .attr("agent", agent)
              .attr("actionType", action)
              .attr("filePath", JsonFields.text(mod, "path"))
              .attr("op", fileOp)
              .attr("linesBefore", JsonFields.scalar(mod, "line_count_before"))
              .attr("linesAfter", JsonFields.scalar(mod, "line_count_after"));
          ctx.emit(b, ctx.positionKey() + ':' + i);
        }
        return;
      }
      Event.Builder b;
      if ("command_executed".equals(action) || "error_occurred".equals(action)) {
        b = ctx.event(EventKind.TOOL_RESULT)
            .tool(agent)
            .error(FreeText.error(JsonFields.text(line, "error")))
            .attr("command", FreeText.command(JsonFields.text(line, "command")))
            .attr("exitCode", JsonFields.scalar(line, "exit_code"));
      } else {
        b = ctx.event(EventKind.RAW).attr("findingsCount", JsonFields.scalar(line, "findings_count"));
      }
      b.ts(Timestamps.parse(ts))
          .success(JsonFields.bool(line, "success"))
          .durationMs(nonNegative(JsonFields.number(line, "duration_ms")))
          .attr("agent", agent)
          .attr("actionType", action)
          .attr("message", FreeText.label(JsonFields.text(line, "message")));
      ctx.emit(b, ctx.positionKey());
    }
  }

  /**
   * {@code feedback/feedback.jsonl}: FEEDBACK with {@code agent}, {@code feedbackType}
   * (thumbs_up/thumbs_down/rating/comment/dismiss), {@code value}, {@code comment} (redacted),
   * {@code eventType}; {@code ts} from the epoch-seconds {@code timestamp}. Key: the feedback's uuid.
   */
  static final class Feedback implements LineParser {
    static final Feedback INSTANCE = new Feedback();

    private Feedback() {}

    @Override
    public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
      Lines.requireObject(line);
      String id = JsonFields.scalar(line, "id");
      String type = JsonFields.text(line, "feedback_type");
      Event.Builder b = ctx.event(EventKind.FEEDBACK)
          .ts(Timestamps.first(line, GenericJsonlParser.TIME_FIELDS))
          .tool(JsonFields.text(line, "agent_name"))
          .attr("agent", JsonFields.text(line, "agent_name"))
          .attr("feedbackType", type)
          .attr("value", FreeText.prompt(JsonFields.scalar(line, "value")))
          .attr("comment", FreeText.prompt(JsonFields.text(line, "comment")))
          .attr("eventType", JsonFields.text(line, "event_type"))
          .attr("feedbackId", id);
      if ("thumbs_up".equals(type) || "thumbs_down".equals(type)) {
        b.success("thumbs_up".equals(type));
      }
      ctx.emit(b, id != null ? "fb:" + id : ctx.positionKey());
    }
  }

  /**
   * {@code metrics.jsonl} (performance monitor), one per monitored operation: RAW with {@code tool} =
   * {@code operation_name}, {@code durationMs} from {@code duration} (seconds), {@code success},
   * {@code error}, {@code ts} = {@code start_time} (epoch seconds), and {@code cpuUsed},
   * {@code memoryUsedMb}.
   */
  static final class Metrics implements LineParser {
    static final Metrics INSTANCE = new Metrics();

    private Metrics() {}

    @Override
    public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
      Lines.requireObject(line);
      Double seconds = JsonFields.real(line, "duration");
      Event.Builder b = ctx.event(EventKind.RAW)
          .ts(Timestamps.first(line, "start_time", "timestamp", "end_time"))
          .tool(JsonFields.text(line, "operation_name"))
          .durationMs(seconds == null || seconds < 0 ? null : Math.round(seconds * 1000))
          .success(JsonFields.bool(line, "success"))
          .error(FreeText.error(JsonFields.text(line, "error_message")))
          .attr("operation", JsonFields.text(line, "operation_name"))
          .attr("cpuUsed", JsonFields.scalar(line, "cpu_used"))
          .attr("memoryUsedMb", JsonFields.scalar(line, "memory_used_mb"));
      ctx.emit(b, ctx.positionKey());
    }
  }

  /**
   * {@code cli-actions.jsonl}: CLI_ACTION with {@code command} (redacted, at most 500 chars),
   * {@code exitCode}, {@code success} ({@code exit_code == 0} when known), {@code durationMs},
   * {@code error}, {@code threadId}, {@code workingDir} (also the event's project).
   */
  static final class CliActions implements LineParser {
    static final CliActions INSTANCE = new CliActions();

    private CliActions() {}

    @Override
    public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
      Lines.requireObject(line);
      Long exit = JsonFields.number(line, "exit_code");
      String workingDir = JsonFields.text(line, "working_dir");
      Event.Builder b = ctx.event(EventKind.CLI_ACTION)
          .ts(Timestamps.first(line, GenericJsonlParser.TIME_FIELDS))
          .sessionId(JsonFields.text(line, "thread_id"))
          .project(workingDir)
          .success(exit == null ? null : exit == 0)
          .durationMs(nonNegative(JsonFields.number(line, "duration_ms")))
          .error(FreeText.error(JsonFields.text(line, "error_message")))
          .attr("command", FreeText.command(JsonFields.text(line, "command")))
          .attr("exitCode", exit == null ? null : exit.toString())
          .attr("threadId", JsonFields.text(line, "thread_id"))
          .attr("workingDir", workingDir)
          .attr("outputBytes", JsonFields.scalar(line, "output_size_bytes"));
      ctx.emit(b, ctx.positionKey());
    }
  }

  /**
   * {@code amp-thread-log.jsonl}: each line is a cumulative snapshot of one Amp thread (the mapper
   * appends the whole thread again after every change), so every item is keyed by its thread and
   * position in the thread and repeated snapshots repeat the same ids. Yields PROMPT for
   * {@code user_prompt} (key {@code amp:<thread>:prompt}), CLI_ACTION per {@code agent_actions} entry
   * ({@code command}, {@code action}, {@code success}), FEEDBACK per {@code user_manual_actions} entry
   * ({@code feedbackType=manual_action}: the user fixing what an agent did) and RAW per {@code insights}
   * entry ({@code pattern}, {@code severity}). The thread id is the session.
   */
  static final class AmpThreads implements LineParser {
    static final AmpThreads INSTANCE = new AmpThreads();

    private AmpThreads() {}

    @Override
    public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
      Lines.requireObject(line);
      String thread = JsonFields.text(line, "thread_id");
      String base = thread != null && !thread.isEmpty() ? "amp:" + thread : "amp:@" + ctx.positionKey();
      String session = thread == null || thread.isEmpty() ? null : thread;
      JsonNode ts = line.get("timestamp");
      String prompt = JsonFields.text(line, "user_prompt");
      if (prompt != null && !prompt.isEmpty()) {
        Event.Builder b = ctx.event(EventKind.PROMPT)
            .ts(Timestamps.parse(ts))
            .sessionId(session)
            .attr("promptKind", "text")
            .attr("text", FreeText.prompt(prompt))
            .attr("length", Integer.toString(prompt.length()))
            .attr("threadUrl", JsonFields.text(line, "thread_url"));
        ctx.emit(b, base + ":prompt");
      }
      JsonNode actions = JsonFields.array(line, "agent_actions");
      for (int i = 0; actions != null && i < actions.size(); i++) {
        JsonNode a = actions.get(i);
        Event.Builder b = ctx.event(EventKind.CLI_ACTION)
            .ts(Timestamps.first(a, "timestamp"))
            .sessionId(session)
            .success(JsonFields.bool(a, "success"))
            .attr("action", JsonFields.text(a, "action"))
            .attr("command", FreeText.command(JsonFields.text(a, "command")))
            .attr("output", FreeText.label(JsonFields.text(a, "output")));
        ctx.emit(b, base + ":a:" + i);
      }
      JsonNode manual = JsonFields.array(line, "user_manual_actions");
      for (int i = 0; manual != null && i < manual.size(); i++) {
        JsonNode m = manual.get(i);
        Event.Builder b = ctx.event(EventKind.FEEDBACK)
            .ts(Timestamps.first(m, "timestamp"))
            .sessionId(session)
            .attr("feedbackType", "manual_action")
            .attr("action", JsonFields.text(m, "action"))
            .attr("comment", FreeText.prompt(JsonFields.text(m, "description")))
            .attr("secondsAfterAgent", JsonFields.scalar(m, "time_after_agent_action"));
        ctx.emit(b, base + ":u:" + i);
      }
      JsonNode insights = JsonFields.array(line, "insights");
      for (int i = 0; insights != null && i < insights.size(); i++) {
        JsonNode in = insights.get(i);
        Event.Builder b = ctx.event(EventKind.RAW)
            .ts(Timestamps.parse(ts))
            .sessionId(session)
            .attr("pattern", JsonFields.text(in, "pattern"))
            .attr("severity", JsonFields.text(in, "severity"))
            .attr("message", FreeText.label(JsonFields.text(in, "message")));
        ctx.emit(b, base + ":i:" + i);
      }
    }
  }

  private static Long nonNegative(Long v) {
    return v == null || v < 0 ? null : v;
  }

  private static String joined(JsonNode array) {
    if (array == null || array.size() == 0) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode v : array) {
      String s = JsonFields.scalar(v);
      if (s != null) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(s);
      }
    }
    return FreeText.label(sb.toString());
  }
}
