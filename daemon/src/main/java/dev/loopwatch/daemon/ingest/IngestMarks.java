package dev.loopwatch.daemon.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The ingest's records in journal documents: a file checkpoint ({@code {"t":"file",...}}) or a project
 * directory discovered from a transcript's cwd ({@code {"t":"project","dir":...}}). Replaying them
 * rebuilds exactly the ingest state that matches the journal.
 */
final class IngestMarks {
  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** A decoded mark: exactly one of the two is set. */
  record Mark(FileCheckpoint file, String project) {}

  private IngestMarks() {}

  static byte[] file(FileCheckpoint cp) {
    ObjectNode n = JSON.createObjectNode();
    n.put("t", "file");
    n.set("cp", JSON.valueToTree(cp));
    return bytes(n);
  }

  static byte[] project(String dir) {
    ObjectNode n = JSON.createObjectNode();
    n.put("t", "project");
    n.put("dir", dir);
    return bytes(n);
  }

  /** Decodes a mark; marks of other producers or newer versions decode to {@code null}. */
  static Mark decode(byte[] bytes) {
    try {
      JsonNode n = JSON.readTree(bytes);
      String type = n.path("t").asText();
      return switch (type) {
        case "file" -> new Mark(JSON.treeToValue(n.get("cp"), FileCheckpoint.class), null);
        case "project" -> new Mark(null, n.path("dir").asText());
        default -> null;
      };
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] bytes(ObjectNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
