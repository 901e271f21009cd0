package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.event.Event;

/**
 * The few input fields of a tool call worth keeping, as attributes: what file, what command, what
 * pattern or URL, and for subagents what type and model. Inputs themselves (file contents, edit strings,
 * prompts) are not kept. Commands, descriptions, queries and URLs are free text and are redacted.
 */
final class ToolInputSummary {
  private ToolInputSummary() {}

  static void addTo(Event.Builder b, String tool, JsonNode input) {
    if (input == null) {
      return;
    }
    String filePath = JsonFields.text(input, "file_path");
    if (filePath == null) {
      filePath = JsonFields.text(input, "notebook_path");
    }
    if (filePath == null) {
      filePath = JsonFields.text(input, "path");
    }
    b.attr("filePath", filePath)
        .attr("command", FreeText.command(JsonFields.text(input, "command")))
        .attr("pattern", FreeText.label(JsonFields.text(input, "pattern")))
        .attr("url", FreeText.command(JsonFields.text(input, "url")))
        .attr("query", FreeText.command(JsonFields.text(input, "query")))
        .attr("skill", JsonFields.text(input, "skill"))
        .attr("description", FreeText.label(JsonFields.text(input, "description")));
    if ("Task".equals(tool) || "Agent".equals(tool)) {
      b.attr("subagentType", JsonFields.text(input, "subagent_type"))
          .attr("subagentModel", JsonFields.text(input, "model"));
    }
  }
}
