package dev.loopwatch.daemon.server;

import dev.loopwatch.daemon.store.query.FailureRow;
import dev.loopwatch.daemon.store.query.HotFile;
import dev.loopwatch.daemon.store.query.ProjectDigest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The short plain-text block a SessionStart hook prints, which Claude Code adds to the new session's
 * context (DESIGN §1): what happened in this project before — its recent sessions and spend, how the
 * last one ended, failures that keep repeating, files that keep changing. Empty when there is nothing
 * worth saying; never longer than the configured limit (whole lines are dropped from the end).
 */
final class ContextBlock {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private ContextBlock() {}

  static String render(ProjectDigest d, ZoneId zone, int maxChars) {
    if (d.isEmpty() || maxChars <= 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    String name = Path.of(d.project()).getFileName() == null ? d.project() : Path.of(d.project()).getFileName().toString();
    sb.append("Loopwatch notes for ").append(name).append(":\n");
    if (d.sessions() > 0) {
      sb.append("- ").append(d.sessions()).append(d.sessions() == 1 ? " earlier session" : " earlier sessions")
          .append(", ").append(money(d.costRecent())).append(" in the last 7 days (")
          .append(money(d.costAll())).append(" in all).\n");
    }
    if (d.last() != null) {
      ProjectDigest.LastSession l = d.last();
      sb.append("- Last session ").append(WHEN.format(l.lastActivity().atZone(zone))).append(": ")
          .append(l.outcome() == null ? "no outcome" : l.outcome());
      if (l.reason() != null && l.outcome() != null && !l.outcome().equals("SUCCESS")) {
        sb.append(" (").append(l.reason()).append(')');
      }
      if (l.toolErrors() > 0) {
        sb.append(", ").append(l.toolErrors()).append(" tool errors");
      }
      sb.append(", ").append(money(l.cost())).append(".\n");
    }
    if (!d.failures().isEmpty()) {
      sb.append("- Failures that keep repeating here (last 7 days):\n");
      for (FailureRow f : d.failures()) {
        sb.append("  - ").append(f.tool());
        if (!f.inputShape().isEmpty()) {
          sb.append(" (").append(f.inputShape()).append(')');
        }
        sb.append(": ").append(f.errorClass()).append(" — ").append(f.occurrences()).append("x in ")
            .append(f.sessions()).append(f.sessions() == 1 ? " session" : " sessions").append('\n');
      }
    }
    if (!d.hotFiles().isEmpty()) {
      sb.append("- Files changed in several recent sessions: ");
      boolean first = true;
      for (HotFile h : d.hotFiles()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        sb.append(h.path()).append(" (").append(h.edits()).append(" edits)");
      }
      sb.append(".\n");
    }
    return fit(sb.toString(), maxChars);
  }

  /**
   * Cuts at a line boundary so the block stays readable; when not even one line after the heading
   * fits, there is nothing to say (a heading alone, or half of it, would only cost context).
   */
  static String fit(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    int cut = text.lastIndexOf('\n', maxChars - 1);
    int heading = text.indexOf('\n');
    return cut <= heading ? "" : text.substring(0, cut + 1);
  }

  private static String money(BigDecimal d) {
    int scale = d.compareTo(BigDecimal.ONE) < 0 ? 4 : 2;
    return "$" + d.setScale(scale, RoundingMode.HALF_UP).toPlainString();
  }
}
