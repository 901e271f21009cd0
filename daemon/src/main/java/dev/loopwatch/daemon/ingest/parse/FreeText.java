package dev.loopwatch.daemon.ingest.parse;

/**
 * Every attribute that carries free text goes through here: it is redacted ({@link Redaction}) and then
 * truncated, so a pasted 10 MB log or a key in a command never reaches the journal whole. Limits: prompt
 * text 2000 chars, error text 2000, commands 500, short labels (system-line content, generic values) 200.
 *
 * <p>Only a window a little longer than the limit is redacted, so that a huge tool output costs no more
 * than a short one; a secret that starts inside the limit is still inside the window and gets masked.
 */
public final class FreeText {
  static final int PROMPT_MAX = 2000;
  static final int ERROR_MAX = 2000;
  static final int COMMAND_MAX = 500;
  static final int SHORT_MAX = 200;

  /** Room past the limit for a secret that straddles it (tokens are far shorter than this). */
  private static final int WINDOW_SLACK = 256;

  private FreeText() {}

  public static String prompt(String text) {
    return clip(text, PROMPT_MAX);
  }

  public static String error(String text) {
    return clip(text, ERROR_MAX);
  }

  public static String command(String text) {
    return clip(text, COMMAND_MAX);
  }

  public static String label(String text) {
    return clip(text, SHORT_MAX);
  }

  /** Redacts, then cuts to at most {@code max} chars (never inside a surrogate pair). */
  static String clip(String text, int max) {
    if (text == null) {
      return null;
    }
    String window = text.length() > max + WINDOW_SLACK ? cut(text, max + WINDOW_SLACK) : text;
    return cut(Redaction.redact(window), max);
  }

  private static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }
}
