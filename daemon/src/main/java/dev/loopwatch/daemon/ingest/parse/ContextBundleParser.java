package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.time.Instant;

/**
 * Seed-era {@code context_bundles/*.json}, a per-session JSON document rewritten after every tool use, listing
 * its {@code operations}. Each operation yields TOOL_CALL ({@code tool} from {@code operation}:
 * {@code read} → {@code Read}, {@code bash} → {@code Bash}, …; attrs {@code filePath}, {@code command}
 * redacted, {@code description}, {@code subagentType}); file operations also FILE_TOUCH ({@code op}
 * read/write/edit) and {@code task} also SUBAGENT {@code phase=spawn}. Key:
 * {@code cb:<session>:<index>:<timestamp>}: operations are only appended, so every rewrite repeats
 * the same keys and only new operations are new events.
 */
final class ContextBundleParser implements WholeFileParser {
  static final ContextBundleParser INSTANCE = new ContextBundleParser();

  private ContextBundleParser() {}

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
