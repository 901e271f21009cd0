package dev.loopwatch.client;

import java.time.ZoneId;
import java.util.List;

/** {@code loopwatch files}: the files sessions changed most. */
final class FilesView {
  private FilesView() {}

  static String render(Object r, ZoneId zone) {
    List<Object> files = Fields.list(r, "files");
    if (files.isEmpty()) {
      return "no file changes\n";
    }
    Table t = new Table().text("LAST CHANGED").num("EDITS").num("+LINES").num("-LINES").num("SESSIONS").text("PATH");
    for (Object f : files) {
      t.row(
          Formats.time(Fields.str(f, "lastChanged"), zone),
          Formats.count(Fields.num(f, "edits")),
          Formats.count(Fields.num(f, "linesAdded")),
          Formats.count(Fields.num(f, "linesRemoved")),
          Formats.count(Views.countOf(f, "sessions")),
          Formats.clipStart(Fields.str(f, "path"), 100));
    }
    return t.render();
  }
}
