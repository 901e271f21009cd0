package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;

/**
 * A {@code user} line. Its content is either a string (a typed prompt, a slash command, an interruption
 * marker) or an array of blocks ({@code tool_result}s, text blocks, images). Yields:
 *
 * <ul>
 *   <li>PROMPT (key {@code p:<uuid>}, {@code p:<uuid>:<block>} for array text) with {@code text}
 *       (redacted, at most 2000 chars), {@code length} and {@code promptKind}: {@code text} for what the
 *       user typed, {@code command} for a slash command (attrs {@code command}, and {@code text} =
 *       {@code "/cmd args"}), {@code commandOutput} for a local command's echoed stdout (attr
 *       {@code output}), {@code notification} for Claude Code's {@code <task-notification>} messages.
 *       Meta lines ({@code isMeta}), compaction summaries ({@code isCompactSummary}), caveats and
 *       {@code <system-reminder>}s are not prompts and yield nothing.
 *   <li>SESSION_STATE {@code state=interrupted} (key {@code i:<uuid>}) for
 *       {@code [Request interrupted by user…]}, with {@code forToolUse}.
 *   <li>TOOL_RESULT per {@code tool_result} block, and FILE_TOUCH / SUBAGENT {@code done} from the
 *       line's {@code toolUseResult} ({@link ToolResultReader}).
 * </ul>
 */
final class UserReader {
  private static final String INTERRUPTED = "[Request interrupted by user";

  private UserReader() {}

  static void read(TranscriptLine line) {
    JsonNode message = JsonFields.object(line.node, "message");
    JsonNode content = message == null ? null : message.get("content");
    if (content == null) {
      return;
    }
    boolean notAPrompt = Boolean.TRUE.equals(JsonFields.bool(line.node, "isMeta"))
        || Boolean.TRUE.equals(JsonFields.bool(line.node, "isCompactSummary"));
    if (content.isTextual()) {
      if (!notAPrompt) {
        text(line, content.textValue(), cut(content), -1);
      }
      return;
    }
    if (!content.isArray()) {
      return;
    }
    String firstToolUseId = null;
    for (int i = 0; i < content.size(); i++) {
      JsonNode block = content.get(i);
      String type = JsonFields.text(block, "type");
      if ("tool_result".equals(type)) {
        String id = ToolResultReader.result(line, block, i);
        if (firstToolUseId == null) {
          firstToolUseId = id;
        }
      } else if ("text".equals(type) && !notAPrompt) {
        text(line, JsonFields.text(block, "text"), cut(block.get("text")), i);
      }
    }
    ToolResultReader.toolUseResult(line, firstToolUseId);
  }

  /** Characters of a long text that were not decoded (see {@link LineTrees}), else 0. */
  private static long cut(JsonNode node) {
    return node instanceof LongText t ? t.fullLength() - t.textValue().length() : 0;
  }

  /**
   * One piece of user text; {@code index} is its block, or -1 for string content. {@code cut} more
   * characters follow {@code text} that were not decoded.
   */
  private static void text(TranscriptLine line, String text, long cut, int index) {
    if (text == null || text.isEmpty()) {
      return;
    }
    if (text.startsWith(INTERRUPTED)) {
      Event.Builder b = line.event(EventKind.SESSION_STATE)
          .attr("state", "interrupted")
          .attr("forToolUse", text.contains("for tool use") ? "true" : "false");
      line.ctx.emit(b, index < 0 ? line.key("i:") : line.key("i:", index));
      return;
    }
    Event.Builder b = line.event(EventKind.PROMPT);
    String stripped = text.stripLeading();
    if (stripped.startsWith("<")) {
      if (!wrapped(b, stripped, cut)) {
        return;
      }
    } else {
      typed(b, "text", text, cut);
    }
    line.ctx.emit(b, index < 0 ? line.key("p:") : line.key("p:", index));
  }

  /**
   * Claude Code's XML-ish wrappers. Returns false when the text is not a prompt at all. Tags are found
   * with {@code indexOf}: this runs on every user line.
   */
  private static boolean wrapped(Event.Builder b, String text, long cut) {
    String name = between(text, "<command-name>", "</command-name>");
    if (name != null) {
      String command = name.startsWith("/") ? name : "/" + name;
      String args = between(text, "<command-args>", "</command-args>");
      typed(b, "command", args == null || args.isBlank() ? command : command + ' ' + args.strip(), 0);
      b.attr("command", command);
      return true;
    }
    if (text.startsWith("<local-command-stdout>") || text.startsWith("<local-command-stderr>")) {
      String out = between(text, ">", "</local-command-");
      if (out == null) {
        out = text.substring(text.indexOf('>') + 1); // the closing tag is past the decoded prefix
      }
      b.attr("promptKind", "commandOutput")
          .attr("output", FreeText.command(out))
          .attr("length", Long.toString(out.length() + cut));
      return true;
    }
    if (text.startsWith("<task-notification>")) {
      typed(b, "notification", text, cut);
      return true;
    }
    if (text.startsWith("<local-command-caveat>") || text.startsWith("<system-reminder>")) {
      return false;
    }
    typed(b, "text", text, cut);
    return true;
  }

  /** {@code text} (redacted, cut) and its full {@code length}: what the user typed, wrappers removed. */
  private static void typed(Event.Builder b, String kind, String text, long cut) {
    b.attr("promptKind", kind).attr("text", FreeText.prompt(text)).attr("length", Long.toString(text.length() + cut));
  }

  /** The trimmed text between the first {@code open} and the next {@code close}, or {@code null}. */
  private static String between(String text, String open, String close) {
    int start = text.indexOf(open);
    if (start < 0) {
      return null;
    }
    start += open.length();
    int end = text.indexOf(close, start);
    return (end < 0 ? text.substring(start) : text.substring(start, end)).strip();
  }
}
