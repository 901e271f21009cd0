package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwatch.daemon.event.Event;
import java.util.List;
import java.util.TreeMap;

/** Events as JSON for golden files: everything a parser decides, nothing the test harness does (ingestion time, machine). */
final class EventJson {
  private EventJson() {}

  static ArrayNode of(List<Event> events) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    events.forEach(e -> array.add(of(e)));
    return array;
  }

  static ObjectNode of(Event e) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", e.id());
    o.put("source", e.source());
    o.put("kind", e.kind().name());
    o.put("ts", e.ts().toString());
    putIfSet(o, "sessionId", e.sessionId());
    putIfSet(o, "project", e.project());
    putIfSet(o, "agentId", e.agentId());
    putIfSet(o, "tool", e.tool());
    putIfSet(o, "model", e.model());
    if (e.usage() != null) {
      ObjectNode u = o.putObject("usage");
      u.put("input", e.usage().input());
      u.put("output", e.usage().output());
      u.put("cacheWrite5m", e.usage().cacheWrite5m());
      u.put("cacheWrite1h", e.usage().cacheWrite1h());
      u.put("cacheRead", e.usage().cacheRead());
      u.put("webSearch", e.usage().webSearch());
    }
    if (e.durationMs() != null) {
      o.put("durationMs", e.durationMs());
    }
    if (e.success() != null) {
      o.put("success", e.success());
    }
    putIfSet(o, "error", e.error());
    putIfSet(o, "signature", e.signature());
    ObjectNode attrs = o.putObject("attrs");
    new TreeMap<>(e.attrs()).forEach(attrs::put);
    return o;
  }

  private static void putIfSet(ObjectNode o, String field, String value) {
    if (value != null) {
      o.put(field, value);
    }
  }
}
