package dev.loopwatch.client;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** {@code loopwatch sessions}: one row per session, then how many and what they cost. */
final class SessionsView {
  private SessionsView() {}

  static String render(Object r, ZoneId zone) {
    List<Object> sessions = Fields.list(r, "sessions");
    if (sessions.isEmpty()) {
      return "no sessions\n";
    }
    Table t = new Table().text("LAST ACTIVITY").text("SESSION").text("PROJECT").num("DURATION").num("PROMPTS")
        .num("TOOLS").num("ERRORS").num("TOKENS").num("COST").text("OUTCOME").text("FLAGS").text("TITLE");
    long tokens = 0;
    BigDecimal cost = BigDecimal.ZERO;
    for (Object s : sessions) {
      Object usage = Fields.get(s, "usage");
      Number total = Fields.num(usage, "totalTokens");
      BigDecimal c = Fields.dec(usage, "totalCost");
      tokens += total == null ? 0 : total.longValue();
      cost = c == null ? cost : cost.add(c);
      t.row(
          Formats.time(Fields.str(s, "lastActivity"), zone),
          Formats.orNone(Fields.str(s, "sessionId")),
          Formats.clipStart(Fields.str(s, "project"), 28),
          Formats.duration(Fields.num(s, "durationMs")),
          Formats.count(Fields.num(s, "prompts")),
          Formats.count(Fields.num(s, "toolCalls")),
          Formats.count(Fields.num(s, "toolErrors")),
          Formats.count(total),
          Formats.money(c),
          Formats.orNone(Fields.str(s, "outcome")),
          flags(s),
          Formats.clip(Fields.str(s, "title"), 40));
    }
    return t.render() + sessions.size() + (sessions.size() == 1 ? " session, " : " sessions, ")
        + Formats.count(tokens) + " tokens, " + Formats.money(cost) + "\n";
  }

  /** The session's warnings, short: error-storm, high-cost, review. */
  static String flags(Object s) {
    List<String> f = new ArrayList<>();
    if (Fields.flag(s, "errorStorm")) {
      f.add("error-storm");
    }
    if (Fields.flag(s, "highCost")) {
      f.add("high-cost");
    }
    if (Fields.flag(s, "needsReview")) {
      f.add("review");
    }
    return f.isEmpty() ? "" : String.join(",", f);
  }
}
