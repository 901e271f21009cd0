package dev.loopwatch.daemon.ingest.parse;

/**
 * A line (or whole file) a parser cannot use. The tailer counts it, dead-letters it with its file and
 * offset, and moves on: nothing ever stops a tailer.
 */
public final class BadLineException extends Exception {
  private static final long serialVersionUID = 1L;

  public BadLineException(String reason) {
    super(reason);
  }

  public BadLineException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
