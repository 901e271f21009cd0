package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A long free-text value (a tool output, a file's content, a thinking block) of which only the first
 * {@link LineTrees#KEEP_CHARS} characters were decoded. Parsers only ever keep a short, redacted prefix
 * of such text; its full length and line count are known without decoding the rest.
 */
public final class LongText extends TextNode {
  private static final long serialVersionUID = 1L;
  // The undecoded rest of the value in the line's bytes, counted only if someone asks (most long values
  // are tool outputs nobody measures). The tailer reuses its line buffer, so the counts must be asked
  // for while the line is being parsed, as parsers do; they are cached then.
  private final transient byte[] line;
  private final int restFrom;
  private final int restTo;
  private long fullLength;
  private long newlines;
  private boolean endsWithNewline;
  private boolean counted;

  LongText(String prefix, long prefixLength, long prefixNewlines, byte[] line, int restFrom, int restTo) {
    super(prefix);
    this.fullLength = prefixLength;
    this.newlines = prefixNewlines;
    this.endsWithNewline = !prefix.isEmpty() && prefix.charAt(prefix.length() - 1) == '\n';
    this.line = line;
    this.restFrom = restFrom;
    this.restTo = restTo;
  }

  /** Characters (UTF-16 units) in the whole value. */
  public long fullLength() {
    count();
    return fullLength;
  }

  /** {@code \n} characters in the whole value. */
  public long newlines() {
    count();
    return newlines;
  }

  /** Whether the whole value ends with a newline. */
  public boolean endsWithNewline() {
    count();
    return endsWithNewline;
  }

  /** Lines in the whole value: newlines, plus one for a last line without one. */
  public long lineCount() {
    count();
    return fullLength == 0 ? 0 : newlines + (endsWithNewline ? 0 : 1);
  }

  private void count() {
    if (counted) {
      return;
    }
    counted = true;
    LineTrees.Counts c = LineTrees.count(line, restFrom, restTo);
    fullLength += c.chars();
    newlines += c.newlines();
    if (c.chars() > 0) {
      endsWithNewline = c.endsWithNewline();
    }
  }
}
