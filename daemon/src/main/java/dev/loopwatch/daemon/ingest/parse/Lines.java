package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;

/** Small checks and reads shared by the line parsers of other tools' logs. */
final class Lines {
  private Lines() {}

  /** Every source is JSON objects per line; valid JSON of another kind (an array, a number) is a bad line. */
  static void requireObject(JsonNode line) throws BadLineException {
    if (line == null || !line.isObject()) {
      throw new BadLineException("expected a JSON object");
    }
  }

  /**
   * {@code session_id} or {@code sessionId}; placeholders that hook scripts write when they have no id
   * ({@code unknown}, empty) are no session.
   */
  static String sessionId(JsonNode line) {
    String s = JsonFields.text(line, "session_id");
    if (s == null) {
      s = JsonFields.text(line, "sessionId");
    }
    return s == null || s.isBlank() || "unknown".equals(s) ? null : s;
  }
}
