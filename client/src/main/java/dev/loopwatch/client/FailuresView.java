package dev.loopwatch.client;

import java.time.ZoneId;
import java.util.List;

/** {@code loopwatch failures}: recurring tool failures, by signature. */
final class FailuresView {
  private FailuresView() {}

  static String render(Object r, ZoneId zone) {
    List<Object> failures = Fields.list(r, "failures");
    if (failures.isEmpty()) {
      return "no failures\n";
    }
    Table t = new Table().text("SIGNATURE").text("TOOL").text("ERROR").num("COUNT").num("SESSIONS").text("FIRST SEEN")
        .text("LAST SEEN").text("INPUT").text("EXAMPLE");
    for (Object f : failures) {
      t.row(
          Formats.clip(Fields.str(f, "signature"), 12),
          Formats.orNone(Fields.str(f, "tool")),
          Formats.clip(Fields.str(f, "errorClass"), 30),
          Formats.count(Fields.num(f, "occurrences")),
          Formats.count(Views.countOf(f, "sessions")),
          Formats.time(Fields.str(f, "firstSeen"), zone),
          Formats.time(Fields.str(f, "lastSeen"), zone),
          Formats.clip(Fields.str(f, "inputShape"), 30),
          Formats.clip(Fields.str(f, "example"), 60));
    }
    return t.render();
  }
}
