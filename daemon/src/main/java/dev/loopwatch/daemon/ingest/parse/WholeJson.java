package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Reads a whole-file JSON document (a live-session file, a context bundle). */
final class WholeJson {
  /** Thread-safe once configured; reading trees needs no configuration. */
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private WholeJson() {}

  /**
   * The document as an object; {@code null} for empty or blank content (a file caught between truncation
   * and rewrite is not an error). Anything else that is not one JSON object is a {@link BadLineException}.
   */
  static JsonNode read(byte[] content) throws BadLineException {
    if (content == null || isBlank(content)) {
      return null;
    }
    JsonNode doc;
    try {
      doc = MAPPER.readTree(content);
    } catch (JsonProcessingException e) {
      throw new BadLineException("not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new BadLineException("unreadable JSON", e);
    }
    if (doc == null || !doc.isObject()) {
      throw new BadLineException("expected a JSON object");
    }
    return doc;
  }

  private static boolean isBlank(byte[] content) {
    for (byte c : content) {
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return false;
      }
    }
    return true;
  }
}
