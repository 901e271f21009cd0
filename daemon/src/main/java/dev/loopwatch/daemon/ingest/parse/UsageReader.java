package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.Usage;

/**
 * Reads one API response's {@code message.usage} into {@link Usage} and emits it as an API_USAGE event.
 * Every copy of a response is emitted (the repeated assistant lines of one response, the parent's
 * {@code agent_progress} copy of a subagent's line): the store keys requests by ({@code msgId},
 * {@code reqId}) and keeps the maximum of each field, which is the only merge that is right whatever
 * order and subset of copies arrives (claude-code-formats.md §1.9).
 */
final class UsageReader {
  private UsageReader() {}

  /**
   * Cache writes come from the {@code cache_creation} TTL breakdown when the API gave one (Claude Code
   * 2.1.152 fixed a total of 0 beside a non-zero breakdown, so the breakdown is the more reliable of the
   * two); otherwise the total {@code cache_creation_input_tokens} counts as 5-minute writes, as ccusage
   * prices it. Negative or non-numeric counts read as 0.
   */
  static Usage read(JsonNode usage) {
    long input = JsonFields.count(usage, "input_tokens");
    long output = JsonFields.count(usage, "output_tokens");
    long cacheRead = JsonFields.count(usage, "cache_read_input_tokens");
    JsonNode breakdown = JsonFields.object(usage, "cache_creation");
    long write5m;
    long write1h;
    if (breakdown != null
        && (breakdown.has("ephemeral_5m_input_tokens") || breakdown.has("ephemeral_1h_input_tokens"))) {
      write5m = JsonFields.count(breakdown, "ephemeral_5m_input_tokens");
      write1h = JsonFields.count(breakdown, "ephemeral_1h_input_tokens");
    } else {
      write5m = JsonFields.count(usage, "cache_creation_input_tokens");
      write1h = 0;
    }
    long webSearch = JsonFields.count(JsonFields.object(usage, "server_tool_use"), "web_search_requests");
    return new Usage(input, output, write5m, write1h, cacheRead, webSearch);
  }

  /**
   * Completes and emits an API_USAGE event.
   *
   * @param b the builder with the envelope already filled in
   * @param carrier the object holding {@code requestId}, {@code costUSD}, {@code isApiErrorMessage}: the
   *     line itself, or the nested line of a progress copy
   * @param message the Messages API response ({@code message})
   * @param usage its {@code usage}
   * @param origin which copy this is: {@code main}, {@code subagent} or {@code progress}
   */
  static void emit(
      ParseContext ctx, Event.Builder b, JsonNode carrier, JsonNode message, JsonNode usage, String origin,
      String key) {
    b.model(JsonFields.text(message, "model"))
        .usage(read(usage))
        .attr("msgId", JsonFields.text(message, "id"))
        .attr("reqId", JsonFields.text(carrier, "requestId"))
        .attr("origin", origin)
        .attr("speed", speed(carrier, usage))
        .attr("costUSD", JsonFields.decimal(carrier.get("costUSD")))
        .attr("apiError", Boolean.TRUE.equals(JsonFields.bool(carrier, "isApiErrorMessage")) ? "true" : null)
        .attr("stopReason", JsonFields.text(message, "stop_reason"));
    ctx.emit(b, key);
  }

  /** {@code speed} ("standard"/"fast", priced differently) sits on the line in some builds, in usage in others. */
  private static String speed(JsonNode carrier, JsonNode usage) {
    String s = JsonFields.text(carrier, "speed");
    return s != null ? s : JsonFields.text(usage, "speed");
  }
}
