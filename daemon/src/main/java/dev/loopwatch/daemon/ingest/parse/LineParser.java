package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns one complete JSON line of a source into events. Implementations are stateless and thread-safe:
 * everything about the line's origin is in the {@link ParseContext}. Unknown line types and fields are
 * skipped or kept as attributes; only a line that cannot be used at all is a {@link BadLineException}.
 */
public interface LineParser {
  void parse(JsonNode line, ParseContext ctx) throws BadLineException;
}
