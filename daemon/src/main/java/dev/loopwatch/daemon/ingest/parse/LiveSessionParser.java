package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.time.Instant;

/**
 * {@code ~/.claude/sessions/<pid>.json}, one small file per running Claude Code process, rewritten as its
 * state changes and removed on exit. Each version yields SESSION_STATE {@code state=live} with
 * {@code sessionId}, {@code project} = {@code cwd} (reported as a project), {@code ts} =
 * {@code updatedAt} (else {@code startedAt}, epoch ms) and attributes {@code pid}, {@code status}
 * (idle/busy/waiting), {@code name}, {@code kind}, {@code version}, {@code waitingFor},
 * {@code entrypoint}, {@code startedAt}. Key: {@code pid:updatedAt:status}, so a re-read of one version
 * is the same event and each change is a new one.
 */
final class LiveSessionParser implements WholeFileParser {
  static final LiveSessionParser INSTANCE = new LiveSessionParser();

  private LiveSessionParser() {}

  @Override
  public void parse(byte[] content, ParseContext ctx) throws BadLineException {
    JsonNode doc = WholeJson.read(content);
    if (doc == null) {
      return; // empty: caught between truncate and write
    }
    String cwd = JsonFields.text(doc, "cwd");
    String pid = JsonFields.scalar(doc, "pid");
    String status = JsonFields.text(doc, "status");
    Instant started = Timestamps.parse(doc.get("startedAt"));
    Instant updated = Timestamps.parse(doc.get("updatedAt"));
    Event.Builder b = ctx.event(EventKind.SESSION_STATE)
        .ts(updated != null ? updated : started)
        .sessionId(JsonFields.text(doc, "sessionId"))
        .project(cwd)
        .attr("state", "live")
        .attr("pid", pid)
        .attr("status", status)
        .attr("name", JsonFields.text(doc, "name"))
        .attr("kind", JsonFields.text(doc, "kind"))
        .attr("version", JsonFields.text(doc, "version"))
        .attr("waitingFor", JsonFields.text(doc, "waitingFor"))
        .attr("entrypoint", JsonFields.text(doc, "entrypoint"))
        .attr("startedAt", started == null ? null : started.toString());
    String who = pid != null ? pid : ctx.positionKey(); // a file without a pid is only known by its stream
    ctx.emit(b, "live:" + who + ':' + JsonFields.scalar(doc, "updatedAt") + ':' + status);
    ProjectDirs.report(ctx, cwd);
  }
}
