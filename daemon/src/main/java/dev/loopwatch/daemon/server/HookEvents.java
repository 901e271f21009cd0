package dev.loopwatch.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventIds;
import dev.loopwatch.daemon.event.EventKind;
import dev.loopwatch.daemon.ingest.parse.FreeText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Claude Code hook payload (reference/claude-code-formats.md §2) into events. Every event and
 * field is optional and unknown ones are kept as a RAW event. Where the transcript reports the same
 * thing, the event joins it instead of doubling it: tool results by {@code tool_use_id} (one
 * tool_calls row), prompts and compactions are not counted a second time (sessions count the
 * transcript's), and a retried hook delivery has the same event id.
 */
final class HookEvents {
  static final String SOURCE = "hook";

  private HookEvents() {}

  static List<Event> from(JsonNode p, Instant now, String machine) {
    String event = text(p, "hook_event_name");
    String session = text(p, "session_id");
    String cwd = text(p, "cwd");
    List<Event> out = new ArrayList<>();
    Event.Builder b;
    String key;
    String toolUseId = text(p, "tool_use_id");
    switch (event == null ? "" : event) {
      case "SessionStart" -> {
        b = base(EventKind.SESSION_START, p, now, machine).attr("trigger", text(p, "source")).model(text(p, "model"));
        key = "start:" + session + ":" + text(p, "source") + ":" + now.toEpochMilli();
      }
      case "SessionEnd" -> {
        b = base(EventKind.SESSION_END, p, now, machine).attr("reason", text(p, "reason"));
        key = "end:" + session;
      }
      case "UserPromptSubmit" -> {
        String prompt = text(p, "prompt");
        b = base(EventKind.PROMPT, p, now, machine)
            .attr("promptKind", "text")
            .attr("text", prompt == null ? null : FreeText.prompt(prompt))
            .attr("length", prompt == null ? null : Integer.toString(prompt.length()));
        key = "prompt:" + session + ":" + text(p, "prompt_id") + ":" + (prompt == null ? 0 : prompt.hashCode()) + ":" + now.toEpochMilli();
      }
      case "PostToolUse", "PostToolUseFailure" -> {
        boolean failed = event.equals("PostToolUseFailure");
        String error = failed ? text(p, "error") : null;
        b = base(EventKind.TOOL_RESULT, p, now, machine)
            .tool(text(p, "tool_name"))
            .success(!failed)
            .error(error == null ? null : FreeText.error(error))
            .attr("toolUseId", toolUseId)
            .attr("interrupted", p.path("is_interrupt").asBoolean(false) ? "true" : null);
        if (p.path("duration_ms").canConvertToLong()) {
          b.durationMs(p.path("duration_ms").asLong());
        }
        key = event + ":" + (toolUseId != null ? toolUseId : session + ":" + now.toEpochMilli());
      }
      case "SubagentStart", "SubagentStop" -> {
        b = base(EventKind.SUBAGENT, p, now, machine)
            .attr("phase", event.equals("SubagentStart") ? "start" : "stop")
            .attr("subagentId", text(p, "agent_id"))
            .attr("subagentType", text(p, "agent_type"));
        key = event + ":" + session + ":" + text(p, "agent_id");
      }
      case "Stop", "StopFailure", "PreCompact", "PostCompact", "Notification" -> {
        // Session states; a compaction is counted from the transcript's compact_boundary, not here.
        b = base(EventKind.SESSION_STATE, p, now, machine)
            .attr("state", event)
            .attr("trigger", text(p, "trigger"))
            .attr("error", text(p, "error") == null ? null : FreeText.label(text(p, "error")))
            .attr("message", text(p, "message") == null ? null : FreeText.label(text(p, "message")));
        key = event + ":" + session + ":" + now.toEpochMilli();
      }
      default -> {
        Event.Builder raw = base(EventKind.RAW, p, now, machine).attr("subtype", "hook:" + (event == null ? "unknown" : event));
        p.fields().forEachRemaining(f -> {
          if (f.getValue().isValueNode() && !f.getKey().equals("hook_event_name")) {
            raw.attr(f.getKey(), FreeText.label(f.getValue().asText()));
          }
        });
        b = raw;
        key = "raw:" + event + ":" + session + ":" + now.toEpochMilli() + ":" + p.toString().hashCode();
      }
    }
    out.add(b.id(EventIds.of(SOURCE, b.kind().name(), key)).build());
    return out;
  }

  private static Event.Builder base(EventKind kind, JsonNode p, Instant now, String machine) {
    return Event.builder(kind, SOURCE)
        .ts(now)
        .ingestedAt(now)
        .machine(machine)
        .sessionId(text(p, "session_id"))
        .project(text(p, "cwd"))
        .agentId(text(p, "agent_id"))
        .attr("hookEvent", text(p, "hook_event_name"))
        .attr("cwd", text(p, "cwd"))
        .attr("transcriptPath", text(p, "transcript_path"));
  }

  private static String text(JsonNode p, String field) {
    JsonNode v = p.get(field);
    return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
  }
}
