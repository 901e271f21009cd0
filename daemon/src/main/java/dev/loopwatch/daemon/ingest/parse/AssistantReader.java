package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;

/**
 * An {@code assistant} line: its response's usage (API_USAGE, one per line, key {@code u:<uuid>}), and
 * each {@code tool_use}/{@code server_tool_use} block in its content (TOOL_CALL, key {@code t:<toolUseId>};
 * plus SUBAGENT {@code phase=spawn}, key {@code s:<toolUseId>}, for the {@code Task}/{@code Agent} tool).
 */
final class AssistantReader {
  private AssistantReader() {}

  static void read(TranscriptLine line) {
    JsonNode message = JsonFields.object(line.node, "message");
    if (message == null) {
      return;
    }
    JsonNode usage = JsonFields.object(message, "usage");
    if (usage != null) {
      String origin = line.sidechain ? "subagent" : "main";
      UsageReader.emit(
          line.ctx, line.event(EventKind.API_USAGE), line.node, message, usage, origin, line.key("u:"));
    }
    JsonNode content = JsonFields.array(message, "content");
    if (content == null) {
      return;
    }
    String model = JsonFields.text(message, "model");
    for (int i = 0; i < content.size(); i++) {
      JsonNode block = content.get(i);
      String type = JsonFields.text(block, "type");
      if ("tool_use".equals(type) || "server_tool_use".equals(type)) {
        toolUse(line, block, model, i);
      }
    }
  }

  private static void toolUse(TranscriptLine line, JsonNode block, String model, int index) {
    String name = JsonFields.text(block, "name");
    String id = JsonFields.text(block, "id");
    JsonNode input = JsonFields.object(block, "input");
    Event.Builder call = line.event(EventKind.TOOL_CALL).tool(name).model(model).attr("toolUseId", id);
    ToolInputSummary.addTo(call, name, input);
    line.ctx.emit(call, id != null ? "t:" + id : line.key("t:", index));

    if ("Task".equals(name) || "Agent".equals(name)) {
      Event.Builder spawn = line.event(EventKind.SUBAGENT)
          .tool(name)
          .model(model)
          .attr("phase", "spawn")
          .attr("toolUseId", id)
          .attr("subagentType", JsonFields.text(input, "subagent_type"))
          .attr("description", FreeText.label(JsonFields.text(input, "description")))
          .attr("subagentModel", JsonFields.text(input, "model"));
      line.ctx.emit(spawn, id != null ? "s:" + id : line.key("s:", index));
    }
  }
}
