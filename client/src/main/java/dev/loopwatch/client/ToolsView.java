package dev.loopwatch.client;

import java.util.List;

/** {@code loopwatch tools}: calls, failures and rejections per tool. */
final class ToolsView {
  private ToolsView() {}

  static String render(Object r) {
    List<Object> tools = Fields.list(r, "tools");
    if (tools.isEmpty()) {
      return "no tool calls\n";
    }
    Table t = new Table().text("TOOL").num("CALLS").num("FAILURES").num("REJECTIONS").num("SUCCESS")
        .num("EFFECTIVENESS").num("AVG TIME");
    for (Object tool : tools) {
      t.row(
          Formats.orNone(Fields.str(tool, "tool")),
          Formats.count(Fields.num(tool, "calls")),
          Formats.count(Fields.num(tool, "failures")),
          Formats.count(Fields.num(tool, "rejections")),
          Formats.percent(Fields.num(tool, "successRate")),
          Formats.percent(Fields.num(tool, "effectiveness")),
          Formats.duration(Fields.num(tool, "avgDurationMs")));
    }
    return t.render();
  }
}
