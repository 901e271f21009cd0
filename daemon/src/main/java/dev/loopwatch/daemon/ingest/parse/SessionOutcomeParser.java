package dev.loopwatch.daemon.ingest.parse;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * Seed-era {@code .session_outcome}, a small text file the user writes at the end of a session, either one line
 * ({@code ✅ SUCCESS: Implemented feature X}) or {@code Key: value} lines ({@code Status: PARTIAL},
 * {@code Summary: …}, {@code Next: …}). Yields OUTCOME with {@code outcome} (SUCCESS, PARTIAL, BLOCKED,
 * FAILED, else UNKNOWN), {@code success} (true for SUCCESS, false for FAILED/BLOCKED), {@code summary}
 * (redacted) and the other {@code Key: value} pairs as lower-case attributes.
 *
 * <p>The file names no session and no time. Its project is the directory holding the {@code .claude/}
 * it lies in, and its time the file's modification time (when the user wrote this version; the
 * ingestion time only when that is unknown). The store links it by that time to the session of the
 * project active then (the seed's "linked by timing"). Key: the stream, that time and the content, so a
 * re-read is the same event, while the same words written again later are a new one.
 */
final class SessionOutcomeParser implements WholeFileParser {
  static final SessionOutcomeParser INSTANCE = new SessionOutcomeParser();

  private static final String[] OUTCOMES = {"SUCCESS", "PARTIAL", "BLOCKED", "FAILED"};
  private static final int MAX_ATTRS = 12;

  private SessionOutcomeParser() {}

  @Override
  public void parse(byte[] content, ParseContext ctx) throws BadLineException {
    String text = new String(content, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return;
    }
    Instant written = ctx.modifiedAt() != null ? ctx.modifiedAt() : ctx.ingestedAt();
    Event.Builder b = ctx.event(EventKind.OUTCOME).project(projectOf(ctx.file()));
    if (written != null) {
      b.ts(written);
    }
    String status = null;
    String firstLine = null;
    int attrs = 0;
    for (String raw : text.split("\\R")) {
      String l = raw.strip();
      if (l.isEmpty()) {
        continue;
      }
      if (firstLine == null) {
        firstLine = l;
      }
      int colon = l.indexOf(':');
      if (colon > 0 && colon <= 20 && isWord(l, colon)) {
        String key = l.substring(0, colon).toLowerCase(Locale.ROOT);
        String value = l.substring(colon + 1).strip();
        if (key.equals("status") || key.equals("outcome")) {
          status = value;
        } else if (attrs < MAX_ATTRS && classify(key).equals("UNKNOWN")) {
          b.attr(key, FreeText.command(value));
          attrs++;
        }
      }
    }
    String outcome = classify(status != null ? status : firstLine);
    if (status == null) {
      int colon = firstLine.indexOf(':');
      b.attr("summary", FreeText.command(colon >= 0 ? firstLine.substring(colon + 1).strip() : firstLine));
    }
    b.attr("outcome", outcome)
        .success(outcome.equals("SUCCESS") ? Boolean.TRUE
            : outcome.equals("FAILED") || outcome.equals("BLOCKED") ? Boolean.FALSE : null);
    ctx.emit(b, "outcome:" + ctx.positionKey() + ':' + (written == null ? "" : written.toEpochMilli()) + ':' + text);
  }

  /**
   * {@code <project>/.claude/.session_outcome} belongs to {@code <project>}; one in a Claude home under
   * another name ({@code CLAUDE_CONFIG_DIR}) to no project.
   */
  private static String projectOf(SourceFile file) {
    Path claudeDir = file.path().getParent();
    Path project = claudeDir == null ? null : claudeDir.getParent();
    boolean inClaudeDir = project != null && claudeDir.equals(file.root()) && claudeDir.endsWith(".claude");
    return inClaudeDir ? project.toString() : null;
  }

  private static boolean isWord(String l, int end) {
    for (int i = 0; i < end; i++) {
      char c = l.charAt(i);
      if (!Character.isLetter(c) && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  static String classify(String text) {
    String upper = text == null ? "" : text.toUpperCase(Locale.ROOT);
    for (String outcome : OUTCOMES) {
      if (upper.contains(outcome)) {
        return outcome;
      }
    }
    if (upper.contains("FAIL")) {
      return "FAILED";
    }
    return "UNKNOWN";
  }
}
