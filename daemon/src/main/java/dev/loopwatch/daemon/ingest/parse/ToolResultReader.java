package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;

/**
 * Tool results on a {@code user} line: each {@code tool_result} block becomes TOOL_RESULT (key
 * {@code r:<toolUseId>}), and the line's {@code toolUseResult}, Claude Code's structured copy of the
 * result, says what the tool did: FILE_TOUCH for edits, writes and reads (key {@code f:<toolUseId>}),
 * SUBAGENT {@code phase=done} for a finished Task/Agent (key {@code d:<toolUseId>}).
 */
final class ToolResultReader {
  /** What Claude Code writes as {@code toolUseResult} when the user said no. */
  private static final String USER_REJECTED = "User rejected tool use";

  /**
   * Result texts of a rejection: the rejected call itself, and (1.0.x) its siblings in the same batch,
   * which the user's "no" also stopped.
   */
  private static final String[] REJECTION_PREFIXES = {
    "The user doesn't want to proceed", "The user doesn't want to take this action"
  };

  private ToolResultReader() {}

  /** Emits TOOL_RESULT for one block; returns its tool use id (may be {@code null}). */
  static String result(TranscriptLine line, JsonNode block, int index) {
    String toolUseId = JsonFields.text(block, "tool_use_id");
    boolean isError = Boolean.TRUE.equals(JsonFields.bool(block, "is_error"));
    JsonNode toolUseResult = line.node.get("toolUseResult");
    Event.Builder b = line.event(EventKind.TOOL_RESULT).success(!isError).attr("toolUseId", toolUseId);
    if (isError) {
      String text = contentText(block.get("content"));
      b.error(FreeText.error(text));
      if (isRejection(text, toolUseResult)) {
        b.attr("rejected", "true");
      }
    } else if (toolUseResult != null && toolUseResult.isTextual() && USER_REJECTED.equals(toolUseResult.textValue())) {
      b.attr("rejected", "true");
    }
    if (toolUseResult != null && toolUseResult.isObject()) {
      b.attr("interrupted", JsonFields.boolText(toolUseResult, "interrupted"));
      b.durationMs(duration(toolUseResult));
    }
    line.ctx.emit(b, toolUseId != null ? "r:" + toolUseId : line.key("r:", index));
    return toolUseId;
  }

  private static boolean isRejection(String text, JsonNode toolUseResult) {
    if (toolUseResult != null && toolUseResult.isTextual() && USER_REJECTED.equals(toolUseResult.textValue())) {
      return true;
    }
    if (text != null) {
      for (String prefix : REJECTION_PREFIXES) {
        if (text.startsWith(prefix)) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code durationMs}, {@code totalDurationMs} (subagents) or {@code durationSeconds} (web search). */
  private static Long duration(JsonNode result) {
    Long ms = JsonFields.number(result.get("durationMs"));
    if (ms == null) {
      ms = JsonFields.number(result.get("totalDurationMs"));
    }
    if (ms == null) {
      Double seconds = JsonFields.real(result, "durationSeconds");
      ms = seconds == null ? null : Math.round(seconds * 1000);
    }
    return ms == null || ms < 0 ? null : ms;
  }

  /** A result's content as text: a string, or its text blocks joined by newlines. */
  static String contentText(JsonNode content) {
    if (content == null) {
      return null;
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    if (!content.isArray()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode block : content) {
      String text = block.isTextual() ? block.textValue() : JsonFields.text(block, "text");
      if (text != null) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(text);
        if (sb.length() > FreeText.ERROR_MAX * 2) {
          break; // it will be cut to the limit anyway
        }
      }
    }
    return sb.toString();
  }

  /** FILE_TOUCH or SUBAGENT done from the line's structured {@code toolUseResult}, when it has one of those shapes. */
  static void toolUseResult(TranscriptLine line, String toolUseId) {
    JsonNode r = JsonFields.object(line.node, "toolUseResult");
    if (r == null) {
      return;
    }
    if (JsonFields.text(r, "agentId") != null
        && (r.has("totalTokens") || r.has("totalDurationMs") || r.has("status"))) {
      subagentDone(line, r, toolUseId);
      return;
    }
    FileTouches.fromToolUseResult(line, r, toolUseId);
  }

  private static void subagentDone(TranscriptLine line, JsonNode r, String toolUseId) {
    Long duration = JsonFields.number(r.get("totalDurationMs"));
    Event.Builder b = line.event(EventKind.SUBAGENT)
        .attr("phase", "done")
        .attr("toolUseId", toolUseId)
        .attr("subagentId", JsonFields.text(r, "agentId"))
        .attr("status", JsonFields.text(r, "status"))
        .attr("totalTokens", JsonFields.scalar(r, "totalTokens"))
        .attr("toolUses", JsonFields.scalar(r, "totalToolUseCount"))
        .durationMs(duration == null || duration < 0 ? null : duration);
    line.ctx.emit(b, toolUseId != null ? "d:" + toolUseId : line.key("d:"));
  }
}
