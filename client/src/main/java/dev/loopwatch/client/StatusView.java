package dev.loopwatch.client;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** {@code loopwatch status}: the daemon, then ingest, journal, store and jobs. */
final class StatusView {
  private StatusView() {}

  static String render(Object r, ZoneId zone) {
    StringBuilder sb = new StringBuilder();
    sb.append("loopwatchd ").append(Formats.orNone(Fields.str(r, "version")))
        .append(", pid ").append(Formats.orNone(Fields.str(r, "pid")))
        .append(", up ").append(Formats.duration(Fields.num(r, "uptimeMs"))).append('\n');
    sb.append("socket    ").append(Formats.orNone(Fields.str(r, "socket"))).append("\n\n");

    Map<String, Object> in = Fields.map(r, "ingest");
    sb.append("Ingest    ").append(Fields.flag(in, "caughtUp") ? "caught up" : "catching up")
        .append(" (backlog ").append(Formats.count(Fields.num(in, "backlog")))
        .append(" files, lag ").append(Formats.bytes(Fields.num(in, "lagBytes"))).append(")\n");
    List<Object> roots = Fields.list(in, "roots");
    item(sb, "roots", roots.isEmpty() ? Formats.NONE : Views.names(roots, "path"));
    item(sb, "files", c(in, "trackedFiles") + " tracked, " + c(in, "openFiles") + " open");
    item(sb, "read", c(in, "filesRead") + " files, " + c(in, "linesRead") + " lines, "
        + Formats.bytes(Fields.num(in, "bytesRead")) + " -> " + c(in, "eventsProduced") + " events");
    item(sb, "skipped", c(in, "badLines") + " bad lines, " + c(in, "oversizeLines") + " oversize, "
        + c(in, "invalidUtf8Lines") + " invalid UTF-8, " + c(in, "partialLinesDropped") + " partial lines dropped, "
        + c(in, "readErrors") + " read errors");
    item(sb, "changes", c(in, "rewrites") + " rewrites, " + c(in, "rotations") + " rotations, "
        + c(in, "deletions") + " deletions, " + c(in, "adoptions") + " adoptions, " + c(in, "rescans")
        + " rescans, " + c(in, "watcherResets") + " watcher resets");
    item(sb, "dead letters", Formats.orNone(Fields.str(in, "deadLetters")));

    Map<String, Object> j = Fields.map(r, "journal");
    sb.append("Journal   ").append(Formats.orNone(Fields.str(j, "dir"))).append('\n');
    item(sb, "contents", c(j, "documents") + " documents, " + c(j, "events") + " events, last index "
        + Formats.orNone(Fields.str(j, "lastIndex")) + ", " + Formats.bytes(Fields.num(j, "bytes")));
    item(sb, "backlog", c(j, "backlog"));

    Map<String, Object> s = Fields.map(r, "store");
    sb.append("Store     ").append(Formats.orNone(Fields.str(s, "file"))).append('\n');
    item(sb, "projection", (Fields.flag(s, "caughtUp") ? "caught up" : "catching up") + ", "
        + c(s, "eventsApplied") + " events applied, projected index " + Formats.orNone(Fields.str(s, "projectedIndex"))
        + ", lag " + c(s, "lagDocuments") + " documents");
    item(sb, "last commit", Formats.time(Fields.str(s, "lastCommit"), zone) + ", " + Formats.bytes(Fields.num(s, "bytes")));

    List<Object> jobs = Fields.list(r, "jobs");
    if (!jobs.isEmpty()) {
      Table t = new Table().text("JOB").text("SCHEDULE").text("LAST RUN").text("OUTCOME").text("NEXT RUN");
      for (Object job : jobs) {
        t.row(
            Formats.orNone(Fields.str(job, "name")),
            Formats.orNone(Fields.str(job, "schedule")),
            Formats.time(Fields.str(job, "lastRun"), zone),
            Formats.orNone(Fields.str(job, "lastOutcome")),
            Formats.time(Fields.str(job, "nextRun"), zone));
      }
      sb.append('\n').append(t.render());
    }
    return sb.toString();
  }

  private static String c(Object node, String key) {
    return Formats.count(Fields.num(node, key));
  }

  private static void item(StringBuilder sb, String label, String value) {
    sb.append("  ").append(label).append(" ".repeat(Math.max(1, 14 - label.length()))).append(value).append('\n');
  }
}
