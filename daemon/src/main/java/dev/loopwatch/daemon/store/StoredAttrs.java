package dev.loopwatch.daemon.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/**
 * The format of the {@code events.attrs} column, written by the projection and read by queries: an event's
 * attributes as one JSON object of strings, keys sorted (so a rebuild writes the same text), or NULL for
 * none.
 */
public final class StoredAttrs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {};

  private StoredAttrs() {}

  /** The column's value for {@code attrs}: NULL when there are none. */
  static String write(Map<String, String> attrs) {
    if (attrs.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(new TreeMap<>(attrs));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
  }

  /** The attributes in a column value; empty for NULL. */
  public static Map<String, String> read(String column) {
    if (column == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(column, MAP);
    } catch (JsonProcessingException e) {
      // only write() fills the column, so this is a damaged store: say so rather than show nothing
      throw new IllegalStateException("events.attrs is not a JSON object of strings: " + e.getOriginalMessage(), e);
    }
  }
}
