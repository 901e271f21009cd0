package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;

/**
 * Any other {@code *.jsonl} under a watched root: one RAW event per line keeping up to 20 top-level
 * scalar fields as attributes (values redacted, at most 200 chars). {@code ts} from the first of
 * {@code timestamp}, {@code ts}, {@code time}, {@code created_at}, {@code createdAt} that reads as a time
 * (ISO-8601, or epoch seconds/milliseconds); {@code sessionId} from {@code session_id}/{@code sessionId};
 * {@code project} from {@code cwd}. Key: the line's position (a generic line has no id we can trust to
 * be unique).
 */
final class GenericJsonlParser implements LineParser {
  static final GenericJsonlParser INSTANCE = new GenericJsonlParser();

  static final String[] TIME_FIELDS = {"timestamp", "ts", "time", "created_at", "createdAt"};

  private GenericJsonlParser() {}

  @Override
  public void parse(JsonNode line, ParseContext ctx) throws BadLineException {
    Lines.requireObject(line);
    Event.Builder b = ctx.event(EventKind.RAW)
        .ts(Timestamps.first(line, TIME_FIELDS))
        .sessionId(Lines.sessionId(line))
        .project(JsonFields.text(line, "cwd"));
    ScalarAttrs.copy(line, b);
    ctx.emit(b, ctx.positionKey());
  }
}
