package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwatch.daemon.event.Event;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The numbers a golden file holds for one transcript: what the store will count from it. Computed from
 * the parser's events here, and independently from the raw lines by a throwaway script when the golden
 * files were made.
 */
final class TranscriptSummary {
  private TranscriptSummary() {}

  static ObjectNode of(String file, LineFeeder fed, CollectingSink sink) {
    List<Event> events = sink.events;
    Map<String, Integer> perKind = new TreeMap<>();
    for (Event e : events) {
      perKind.merge(e.kind().name(), 1, Integer::sum);
    }
    Set<String> requests = new HashSet<>();
    Set<String> spawns = new HashSet<>();
    Set<String> agentIds = new HashSet<>();
    int toolCalls = 0;
    int toolErrors = 0;
    int rejected = 0;
    int compactions = 0;
    for (Event e : events) {
      if (e.agentId() != null) {
        agentIds.add(e.agentId());
      }
      switch (e.kind()) {
        case API_USAGE -> {
          if (!"<synthetic>".equals(e.model()) && e.attr("msgId") != null) {
            requests.add(e.attr("msgId") + '\u001f' + e.attr("reqId"));
          }
        }
        case TOOL_CALL -> toolCalls++;
        case TOOL_RESULT -> {
          if (Boolean.FALSE.equals(e.success())) {
            toolErrors++;
          }
          if ("true".equals(e.attr("rejected"))) {
            rejected++;
          }
        }
        case SUBAGENT -> {
          if ("spawn".equals(e.attr("phase")) && e.attr("toolUseId") != null) {
            spawns.add(e.attr("toolUseId"));
          }
          if (e.attr("subagentId") != null) {
            agentIds.add(e.attr("subagentId"));
          }
        }
        case COMPACTION -> compactions++;
        default -> { }
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("file", file);
    out.put("lines", fed.lines);
    out.put("badLines", fed.badLines);
    ObjectNode kinds = out.putObject("events");
    perKind.forEach(kinds::put);
    out.put("requests", requests.size());
    out.put("toolCalls", toolCalls);
    out.put("toolErrors", toolErrors);
    out.put("rejected", rejected);
    ObjectNode sub = out.putObject("subagents");
    sub.put("spawns", spawns.size());
    sub.put("agentIds", agentIds.size());
    out.put("compactions", compactions);
    out.put("projects", sink.projects.size());
    return out;
  }
}
