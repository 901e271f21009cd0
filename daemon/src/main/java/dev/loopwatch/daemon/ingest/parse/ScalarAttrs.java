package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import java.util.Iterator;
import java.util.Map;

/**
 * Keeps a JSON object's scalar fields (strings, numbers, booleans) as attributes, for the lenient
 * mappings: the RAW events of unknown shapes and the extra attributes of seed-era logs. Nested objects
 * and arrays are dropped, at most {@code maxFields} are kept, and every value is redacted and cut to
 * {@link FreeText#SHORT_MAX} chars: these are other tools' logs and may hold anything.
 */
final class ScalarAttrs {
  static final int DEFAULT_MAX_FIELDS = 20;

  private ScalarAttrs() {}

  static void copy(JsonNode object, Event.Builder b) {
    copy(object, b, "", DEFAULT_MAX_FIELDS);
  }

  /** Copies up to {@code maxFields} scalars, naming each {@code prefix + field}. Returns how many were copied. */
  static int copy(JsonNode object, Event.Builder b, String prefix, int maxFields) {
    if (object == null || !object.isObject()) {
      return 0;
    }
    int copied = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext() && copied < maxFields; ) {
      Map.Entry<String, JsonNode> field = it.next();
      String value = JsonFields.scalar(field.getValue());
      if (value != null) {
        b.attr(prefix + field.getKey(), FreeText.label(value));
        copied++;
      }
    }
    return copied;
  }
}
