package dev.loopwatch.client;

import java.util.List;

/**
 * {@code loopwatch tools}: calls, failures and rejections per tool. Effectiveness is a score, not a
 * share: success rate × log2(calls) (DESIGN §8), so tools that work and are used rank first.
 */
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
          Formats.decimal(Fields.num(tool, "effectiveness"), 2),
          Formats.duration(Fields.num(tool, "avgDurationMs")));
    }
    return t.render();
  }
}
