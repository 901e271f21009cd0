package dev.loopwatch.daemon.journal;

/** A journal document that this version cannot read. */
public final class JournalFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JournalFormatException(String message) {
    super(message);
  }

  public JournalFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
