package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.time.Instant;

/**
 * {@code ~/.claude/history.jsonl}, every prompt typed (for up-arrow recall): one PROMPT per line with
 * {@code ts} = {@code timestamp} (epoch ms), {@code sessionId} (absent on old lines), {@code project} =
 * {@code project} (the real working directory, reported as a project when it is an absolute path here),
 * and attributes {@code text} = {@code display} (redacted, at most 2000 chars), {@code length},
 * {@code project}, {@code promptKind} ({@code command} with {@code command} for {@code /slash} input, else
 * {@code text}) and {@code pasted} (how many pasted blocks the prompt referenced).
 *
 * <p>Key: {@code h:<timestamp>:<sessionId>:<hash of display>}, stable however the file is re-read; the
 * line's position only when it has no timestamp.
 */
final class HistoryParser implements LineParser {
  static final HistoryParser INSTANCE = new HistoryParser();

  private HistoryParser() {}

  @Override
  public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
    Lines.requireObject(line);
    String display = JsonFields.text(line, "display");
    String project = JsonFields.text(line, "project");
    String sessionId = JsonFields.text(line, "sessionId");
    JsonNode timestamp = line.get("timestamp");
    Instant ts = Timestamps.parse(timestamp);
    Event.Builder b = ctx.event(EventKind.PROMPT)
        .ts(ts)
        .sessionId(sessionId)
        .project(project)
        .attr("project", project)
        .attr("text", FreeText.prompt(display))
        .attr("length", display == null ? null : Integer.toString(display.length()));
    String trimmed = display == null ? "" : display.strip();
    if (trimmed.startsWith("/") && trimmed.length() > 1) {
      int space = trimmed.indexOf(' ');
      b.attr("promptKind", "command").attr("command", space < 0 ? trimmed : trimmed.substring(0, space));
    } else {
      b.attr("promptKind", "text");
    }
    JsonNode pasted = JsonFields.object(line, "pastedContents");
    if (pasted != null && pasted.size() > 0) {
      b.attr("pasted", Integer.toString(pasted.size()));
    }
    String key = ts == null
        ? ctx.positionKey()
        : "h:" + JsonFields.scalar(timestamp) + ':' + sessionId + ':'
            + Integer.toHexString(display == null ? 0 : display.hashCode());
    ctx.emit(b, key);
    ProjectDirs.report(ctx, project);
  }
}
