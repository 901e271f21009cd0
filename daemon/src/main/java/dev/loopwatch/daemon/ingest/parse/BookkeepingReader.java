package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Transcript lines that are session bookkeeping rather than conversation, as SESSION_STATE:
 *
 * <ul>
 *   <li>{@code summary} (1.x session title): {@code state=title}, {@code title}; key {@code sum:<leafUuid>};
 *   <li>{@code cost-state} (Claude Code's own running cost, cumulative, the last one wins):
 *       {@code state=cost}, {@code totalCostUSD} and the other scalar totals; key = position;
 *   <li>{@code custom-title}, {@code ai-title}, {@code last-prompt}, {@code agent-name}, {@code mode},
 *       {@code permission-mode}, {@code pr-link} (last-write-wins records): {@code state=<type>},
 *       {@code value} = the record's string field (redacted, a last prompt is a prompt); key = position.
 * </ul>
 */
final class BookkeepingReader {
  /** Fields of the envelope, never the value of a bookkeeping record. */
  private static final Set<String> ENVELOPE =
      Set.of("type", "sessionId", "session_id", "leafUuid", "uuid", "parentUuid", "timestamp", "cwd", "version");

  private static final String[] COST_TOTALS = {
    "totalCostUSD", "totalAPIDuration", "totalAPIDurationWithoutRetries", "totalToolDuration",
    "totalDuration", "totalLinesAdded", "totalLinesRemoved", "hasUnknownModelCost", "startTime"
  };

  private BookkeepingReader() {}

  static void summary(TranscriptLine line) {
    String leaf = JsonFields.text(line.node, "leafUuid");
    Event.Builder b = line.event(EventKind.SESSION_STATE)
        .attr("state", "title")
        .attr("title", FreeText.prompt(JsonFields.text(line.node, "summary")));
    line.ctx.emit(b, leaf != null ? "sum:" + leaf : "sum:@" + line.ctx.positionKey());
  }

  static void costState(TranscriptLine line) {
    Event.Builder b = line.event(EventKind.SESSION_STATE).attr("state", "cost");
    for (String field : COST_TOTALS) {
      b.attr(field, JsonFields.scalar(line.node, field));
    }
    line.ctx.emit(b, line.ctx.positionKey());
  }

  static void record(TranscriptLine line, String type) {
    Event.Builder b = line.event(EventKind.SESSION_STATE)
        .attr("state", type)
        .attr("value", FreeText.prompt(value(line.node, type)));
    line.ctx.emit(b, line.ctx.positionKey());
  }

  /** The record's string: the field named after the type ({@code last-prompt} → {@code lastPrompt}), else the first other string. */
  private static String value(JsonNode node, String type) {
    String named = JsonFields.text(node, camelCase(type));
    if (named != null) {
      return named;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!ENVELOPE.contains(field.getKey()) && field.getValue().isTextual()) {
        return field.getValue().textValue();
      }
    }
    return null;
  }

  static String camelCase(String type) {
    StringBuilder sb = new StringBuilder(type.length());
    boolean upper = false;
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (c == '-' || c == '_') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }
}
