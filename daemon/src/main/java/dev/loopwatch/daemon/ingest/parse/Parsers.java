package dev.loopwatch.daemon.ingest.parse;

import dev.loopwatch.daemon.event.EventKind;

/** TEMPORARY (replaced by the parser branch). */
public final class Parsers {
  private Parsers() {}

  public static LineParser lineParser(SourceKind kind) {
    return (line, ctx) -> {
      if (!line.isObject()) {
        throw new BadLineException("not an object");
      }
      String uuid = line.path("uuid").asText(null);
      var b = ctx.event(EventKind.RAW);
      line.fields().forEachRemaining(f -> { if (f.getValue().isValueNode()) b.attr(f.getKey(), f.getValue().asText()); });
      ctx.emit(b, uuid != null ? uuid : ctx.positionKey());
      if (line.hasNonNull("cwd")) {
        ctx.projectSeen(java.nio.file.Path.of(line.get("cwd").asText()));
      }
    };
  }

  public static WholeFileParser wholeFileParser(SourceKind kind) {
    return (content, ctx) -> ctx.emit(ctx.event(EventKind.SESSION_STATE), "whole:" + content.length);
  }
}
