package dev.loopwatch.client;

import dev.loopwatch.protocol.Json;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * {@code loopwatch session ID}: the session's summary, then its models, subagents, tool calls, files and
 * timeline. Per-request rows are left to {@code --json}: the models table sums them.
 */
final class SessionView {
  private SessionView() {}

  static String render(Object r, ZoneId zone) {
    Map<String, Object> s = Fields.map(r, "session");
    StringBuilder sb = new StringBuilder();
    sb.append("Session ").append(Formats.orNone(Fields.str(s, "sessionId"))).append('\n');
    item(sb, "project", Formats.orNone(Fields.str(s, "project")));
    item(sb, "title", Formats.clip(Fields.str(s, "title"), 100));
    item(sb, "when", Formats.time(Fields.str(s, "firstActivity"), zone) + " to "
        + Formats.time(Fields.str(s, "lastActivity"), zone) + " (" + Formats.duration(Fields.num(s, "durationMs")) + ")");
    item(sb, "activity", c(s, "prompts") + " prompts, " + c(s, "requests") + " requests, " + c(s, "toolCalls")
        + " tool calls (" + c(s, "toolErrors") + " errors, " + c(s, "rejections") + " rejected), " + c(s, "interrupts")
        + " interrupts, " + c(s, "subagents") + " subagents, " + c(s, "compactions") + " compactions");
    String reason = Fields.str(s, "outcomeReason");
    String flags = SessionsView.flags(s);
    item(sb, "outcome", Formats.orNone(Fields.str(s, "outcome")) + (reason == null || reason.isEmpty() ? "" : ": " + reason)
        + (flags.isEmpty() ? "" : " [" + flags + "]"));
    Map<String, Object> u = Fields.map(s, "usage");
    item(sb, "tokens", c(u, "totalTokens") + " (input " + c(u, "inputTokens") + ", output " + c(u, "outputTokens")
        + ", cache write " + c(u, "cacheCreationTokens") + ", cache read " + c(u, "cacheReadTokens") + ")");
    item(sb, "cost", Formats.money(Fields.dec(u, "totalCost")));

    List<Object> models = Fields.list(r, "models");
    if (!models.isEmpty()) {
      Table t = Views.usageColumns(new Table().text("MODEL"));
      for (Object m : models) {
        t.row(Views.concat(new String[] {Formats.orNone(Fields.str(m, "key"))}, Views.usageCells(Fields.get(m, "usage"))));
      }
      section(sb, "Models", t);
    }

    List<Object> subagents = Fields.list(r, "subagents");
    if (!subagents.isEmpty()) {
      Table t = new Table().text("AGENT").text("TYPE").text("MODEL").text("STATUS").num("TOKENS").num("TOOL USES")
          .num("DURATION").text("DESCRIPTION");
      for (Object a : subagents) {
        t.row(
            Formats.orNone(Fields.str(a, "agentId")),
            Formats.orNone(Fields.str(a, "type")),
            Formats.orNone(Fields.str(a, "model")),
            Formats.orNone(Fields.str(a, "status")),
            Formats.count(Fields.num(a, "totalTokens")),
            Formats.count(Fields.num(a, "toolUses")),
            Formats.duration(Fields.num(a, "durationMs")),
            Formats.clip(Fields.str(a, "description"), 50));
      }
      section(sb, "Subagents", t);
    }

    List<Object> tools = Fields.list(r, "tools");
    if (!tools.isEmpty()) {
      Table t = new Table().text("TIME").text("TOOL").text("RESULT").num("DURATION").text("INPUT / ERROR");
      for (Object call : tools) {
        String error = Fields.str(call, "error");
        boolean failed = Fields.get(call, "success") != null && !Fields.flag(call, "success");
        String result = Fields.flag(call, "rejected") ? "rejected" : failed || error != null ? "error" : "ok";
        t.row(
            Formats.time(Fields.str(call, "ts"), zone),
            Formats.orNone(Fields.str(call, "tool")),
            result,
            Formats.duration(Fields.num(call, "durationMs")),
            Formats.clip(error != null ? error : inputText(Fields.get(call, "input")), 70));
      }
      section(sb, "Tool calls", t);
    }

    List<Object> files = Fields.list(r, "files");
    if (!files.isEmpty()) {
      Table t = new Table().text("TIME").text("OP").num("+LINES").num("-LINES").text("PATH");
      for (Object f : files) {
        t.row(
            Formats.time(Fields.str(f, "ts"), zone),
            Formats.orNone(Fields.str(f, "op")),
            Formats.count(Fields.num(f, "linesAdded")),
            Formats.count(Fields.num(f, "linesRemoved")),
            Formats.clipStart(Fields.str(f, "path"), 80));
      }
      section(sb, "Files", t);
    }

    List<Object> timeline = Fields.list(r, "timeline");
    if (!timeline.isEmpty()) {
      Table t = new Table().text("TIME").text("KIND").text("TOOL").text("DETAIL");
      for (Object e : timeline) {
        String detail = Fields.str(e, "detail");
        String text = Fields.str(e, "text");
        String shown = detail == null || detail.isEmpty() ? text : text == null || text.isEmpty() ? detail : detail + ": " + text;
        t.row(
            Formats.time(Fields.str(e, "ts"), zone),
            Formats.orNone(Fields.str(e, "kind")),
            Formats.orNone(Fields.str(e, "tool")),
            Formats.clip(Formats.orNone(shown), 90));
      }
      section(sb, "Timeline", t);
    }
    String notPriced = Views.notPriced(r);
    if (!notPriced.isEmpty()) {
      sb.append('\n').append(notPriced);
    }
    return sb.toString();
  }

  private static String inputText(Object input) {
    if (input == null) {
      return Formats.NONE;
    }
    return input instanceof String s ? s : Json.write(input);
  }

  private static String c(Object node, String key) {
    return Formats.count(Fields.num(node, key));
  }

  private static void item(StringBuilder sb, String label, String value) {
    sb.append("  ").append(label).append(" ".repeat(Math.max(1, 10 - label.length()))).append(value).append('\n');
  }

  private static void section(StringBuilder sb, String title, Table t) {
    sb.append('\n').append(title).append('\n').append(t.render());
  }
}
