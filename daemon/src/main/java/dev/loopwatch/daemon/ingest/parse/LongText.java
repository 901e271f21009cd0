package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A long free-text value (a tool output, a file's content, a thinking block) of which only the first
 * {@link LineTrees#KEEP_CHARS} characters were decoded. Parsers only ever keep a short, redacted prefix
 * of such text; its full length and line count are known without decoding the rest.
 */
public final class LongText extends TextNode {
  private static final long serialVersionUID = 1L;
  private final long fullLength;
  private final long newlines;
  private final boolean endsWithNewline;

  LongText(String prefix, long fullLength, long newlines, boolean endsWithNewline) {
    super(prefix);
    this.fullLength = fullLength;
    this.newlines = newlines;
    this.endsWithNewline = endsWithNewline;
  }

  /** Characters (UTF-16 units) in the whole value. */
  public long fullLength() {
    return fullLength;
  }

  /** {@code \n} characters in the whole value. */
  public long newlines() {
    return newlines;
  }

  /** Whether the whole value ends with a newline. */
  public boolean endsWithNewline() {
    return endsWithNewline;
  }

  /** Lines in the whole value: newlines, plus one for a last line without one. */
  public long lineCount() {
    return fullLength == 0 ? 0 : newlines + (endsWithNewline ? 0 : 1);
  }
}
