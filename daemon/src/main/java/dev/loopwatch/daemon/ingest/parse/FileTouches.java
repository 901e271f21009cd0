package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;

/**
 * FILE_TOUCH from a {@code toolUseResult} object, recognized by shape rather than by tool name (the
 * result line does not name its tool):
 *
 * <ul>
 *   <li>Edit / MultiEdit ({@code filePath} + {@code structuredPatch}, no {@code type}): {@code op=edit};
 *   <li>Write ({@code type} {@code create}/{@code update} + {@code filePath}): {@code op=create} /
 *       {@code op=write};
 *   <li>NotebookEdit when it names its file ({@code notebook_path}/{@code filePath}): {@code op=edit};
 *   <li>Read ({@code file.filePath}): {@code op=read}.
 * </ul>
 *
 * {@code linesAdded}/{@code linesRemoved} count the {@code +}/{@code -} lines of {@code structuredPatch};
 * a created file without a patch counts its content's lines as added. {@code userModified} says the user
 * changed the proposed edit before accepting it.
 */
final class FileTouches {
  private FileTouches() {}

  static void fromToolUseResult(TranscriptLine line, JsonNode r, String toolUseId) {
    String op;
    String filePath = JsonFields.text(r, "filePath");
    String type = JsonFields.text(r, "type");
    JsonNode patch = JsonFields.array(r, "structuredPatch");
    if (filePath != null && ("create".equals(type) || "update".equals(type))) {
      op = "create".equals(type) ? "create" : "write";
    } else if (filePath != null && patch != null) {
      op = "edit";
    } else if (JsonFields.text(r, "notebook_path") != null
        || (filePath != null && r.has("new_source"))) {
      op = "edit";
      filePath = filePath != null ? filePath : JsonFields.text(r, "notebook_path");
    } else {
      JsonNode file = JsonFields.object(r, "file");
      filePath = JsonFields.text(file, "filePath");
      if (filePath == null) {
        return;
      }
      op = "read";
    }

    Event.Builder b = line.event(EventKind.FILE_TOUCH)
        .attr("filePath", filePath)
        .attr("op", op)
        .attr("toolUseId", toolUseId)
        .attr("userModified", JsonFields.boolText(r, "userModified"));
    if (!"read".equals(op)) {
      long added = 0;
      long removed = 0;
      if (patch != null) {
        for (JsonNode hunk : patch) {
          JsonNode lines = JsonFields.array(hunk, "lines");
          if (lines == null) {
            continue;
          }
          for (JsonNode l : lines) {
            String s = l.isTextual() ? l.textValue() : "";
            if (s.startsWith("+")) {
              added++;
            } else if (s.startsWith("-")) {
              removed++;
            }
          }
        }
      }
      if ("create".equals(op) && added == 0) {
        JsonNode content = r.get("content");
        added = content instanceof LongText longText ? longText.lineCount() : lineCount(JsonFields.text(r, "content"));
      }
      b.attr("linesAdded", Long.toString(added)).attr("linesRemoved", Long.toString(removed));
    }
    line.ctx.emit(b, toolUseId != null ? "f:" + toolUseId : line.key("f:"));
  }

  /** Lines of a file's content: newlines, plus one for a last line without one. */
  static long lineCount(String content) {
    if (content == null || content.isEmpty()) {
      return 0;
    }
    long n = 0;
    for (int i = 0; i < content.length(); i++) {
      if (content.charAt(i) == '\n') {
        n++;
      }
    }
    return content.charAt(content.length() - 1) == '\n' ? n : n + 1;
  }
}
