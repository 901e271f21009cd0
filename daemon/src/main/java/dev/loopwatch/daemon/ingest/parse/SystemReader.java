package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;

/**
 * A {@code system} line, by {@code subtype} (key {@code y:<uuid>} for all):
 *
 * <ul>
 *   <li>{@code compact_boundary}: COMPACTION with {@code trigger} (auto/manual) and {@code preTokens};
 *   <li>{@code turn_duration}: TURN with the turn's {@code durationMs};
 *   <li>{@code stop_hook_summary}: RAW with {@code hookCount}, {@code hookErrors} (a count),
 *       {@code preventedContinuation} (the monthly report's hook performance reads these);
 *   <li>anything else ({@code api_error}, {@code local_command}, {@code informational}, …): RAW with
 *       {@code subtype}, {@code level} and a short redacted {@code content} (and for
 *       {@code local_command} the slash {@code command}).
 * </ul>
 */
final class SystemReader {
  private SystemReader() {}

  static void read(TranscriptLine line) {
    JsonNode n = line.node;
    String subtype = JsonFields.text(n, "subtype");
    Event.Builder b;
    if ("compact_boundary".equals(subtype)) {
      JsonNode meta = JsonFields.object(n, "compactMetadata");
      b = line.event(EventKind.COMPACTION)
          .attr("trigger", JsonFields.text(meta, "trigger"))
          .attr("preTokens", JsonFields.scalar(meta, "preTokens"));
    } else if ("turn_duration".equals(subtype)) {
      Long ms = JsonFields.number(n.get("durationMs"));
      b = line.event(EventKind.TURN).durationMs(ms == null || ms < 0 ? null : ms);
    } else if ("stop_hook_summary".equals(subtype)) {
      b = line.event(EventKind.RAW)
          .attr("subtype", subtype)
          .attr("level", JsonFields.text(n, "level"))
          .attr("hookCount", JsonFields.scalar(n, "hookCount"))
          .attr("hookErrors", hookErrors(n.get("hookErrors")))
          .attr("preventedContinuation", JsonFields.boolText(n, "preventedContinuation"));
    } else {
      String content = JsonFields.text(n, "content");
      b = line.event(EventKind.RAW)
          .attr("subtype", subtype)
          .attr("level", JsonFields.text(n, "level"))
          .attr("content", FreeText.label(content))
          .attr("command", "local_command".equals(subtype) ? commandName(content) : null);
    }
    line.ctx.emit(b, line.key("y:"));
  }

  /** The slash command of a {@code local_command} line ({@code <command-name>/model</command-name>}). */
  private static String commandName(String content) {
    if (content == null) {
      return null;
    }
    int start = content.indexOf("<command-name>");
    int end = start < 0 ? -1 : content.indexOf("</command-name>", start);
    return end < 0 ? null : content.substring(start + "<command-name>".length(), end).strip();
  }

  /** {@code hookErrors} is a list of errors; older or odd shapes may hold a number. */
  private static String hookErrors(JsonNode v) {
    if (v == null) {
      return null;
    }
    if (v.isArray()) {
      return Integer.toString(v.size());
    }
    Long n = JsonFields.number(v);
    return n == null ? null : n.toString();
  }
}
