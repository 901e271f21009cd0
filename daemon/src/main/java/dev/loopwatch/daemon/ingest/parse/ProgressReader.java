package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;

/**
 * A {@code progress} line. Only {@code agent_progress} carrying a subagent's assistant message with usage
 * matters: it is the parent file's copy of a line of the subagent's own file (the same uuid, message id
 * and request id), and for sessions whose subagent files are gone (or were never written) it is the only
 * record of that usage. It is emitted as API_USAGE with {@code origin=progress} under the key the
 * subagent file's line gets ({@code u:<uuid of the nested line>}), so when both exist they share one
 * event id. Hook, bash and waiting progress yield nothing.
 */
final class ProgressReader {
  private ProgressReader() {}

  /** Cheap pre-check, so that the envelope of the far more frequent hook/bash progress lines is never read. */
  static boolean isAgentProgress(JsonNode node) {
    return "agent_progress".equals(JsonFields.text(JsonFields.object(node, "data"), "type"));
  }

  static void read(TranscriptLine line) {
    JsonNode data = JsonFields.object(line.node, "data");
    if (data == null || !"agent_progress".equals(JsonFields.text(data, "type"))) {
      return;
    }
    JsonNode nested = JsonFields.object(data, "message");
    JsonNode message = JsonFields.object(nested, "message");
    JsonNode usage = JsonFields.object(message, "usage");
    if (usage == null) {
      return;
    }
    String nestedUuid = JsonFields.text(nested, "uuid");
    String agentId = JsonFields.text(data, "agentId");
    Event.Builder b = line.event(EventKind.API_USAGE)
        .ts(Timestamps.parse(nested.get("timestamp")))
        .agentId(agentId != null ? agentId : line.agentId)
        .attr("uuid", nestedUuid)
        .attr("sidechain", "true");
    if (!b.hasTs()) {
      b.ts(line.ts);
    }
    String key = nestedUuid != null ? "u:" + nestedUuid : "u:@" + line.ctx.positionKey();
    UsageReader.emit(line.ctx, b, nested, message, usage, "progress", key);
  }
}
