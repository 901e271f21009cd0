package dev.loopwatch.daemon.ingest.parse;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in free text before it is journaled: prompts, commands and error messages end up in a
 * journal kept for a year and in reports, and users paste keys into all three. Recognized: Anthropic and
 * OpenAI keys ({@code sk-…}), GitHub tokens ({@code ghp_…}, {@code gho_…}, {@code github_pat_…}), AWS access
 * key ids ({@code AKIA…}/{@code ASIA…}), Slack tokens ({@code xoxb-…}), {@code Bearer <token>}, the values of
 * {@code password=}/{@code token=}/{@code secret=}/{@code api_key:}-style assignments (also quoted JSON
 * keys), and PEM private key blocks (to the end of the text when the block is cut off).
 *
 * <p>Regular expressions run only here, on the few free-text fields, never on whole lines.
 */
public final class Redaction {
  /** What a secret is replaced with. */
  public static final String MASK = "[REDACTED]";

  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\\z)");

  /**
   * A whole-match secret (the match is replaced by the mask) and the literals one of which every match
   * contains: a text without any of them is not searched.
   */
  private record Token(Pattern pattern, List<String> literals) {
    boolean mayMatch(String text) {
      for (String literal : literals) {
        if (text.contains(literal)) {
          return true;
        }
      }
      return false;
    }
  }

  private static final List<Token> TOKENS = List.of(
      new Token(Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}"), List.of("sk-")),
      new Token(Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}"), List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
      new Token(Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{20,}"), List.of("github_pat_")),
      new Token(Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"), List.of("AKIA", "ASIA")),
      new Token(Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"), List.of("xox")));

  /** {@code Bearer <token>}: the scheme stays, the token goes. */
  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(Bearer)(\\s+)[A-Za-z0-9._~+/=-]{8,}");

  /**
   * {@code password=…}, {@code "token": "…"}, {@code SECRET: …}: the key and separator stay, the value
   * goes. The key must start a word so that {@code max_tokens=5} and {@code tokens: 5} are left alone.
   */
  private static final Pattern ASSIGNMENT = Pattern.compile(
      "(?i)(?<![A-Za-z0-9_])((?:[A-Za-z0-9]+[_-])*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey"
          + "|access[_-]?key|private[_-]?key|auth))([\"']?\\s*[:=]\\s*)([\"']?)([^\\s\"',;&]+)");

  private static final List<String> KEY_WORDS =
      List.of("password", "passwd", "pwd", "secret", "token", "api", "access", "private", "auth");

  private Redaction() {}

  /**
   * Whether {@link #ASSIGNMENT} can match: some key word, then the rest of its key, an optional quote and
   * spaces, then {@code :} or {@code =}. Prompts mention tokens, APIs and auth all the time, in prose;
   * the expression (a look-behind tried at every position) was a tenth of the ingest workers' time.
   */
  private static boolean mayAssignAKey(String lower) {
    for (String w : KEY_WORDS) {
      for (int i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + 1)) {
        int j = i + w.length();
        while (j < lower.length() && isKeyChar(lower.charAt(j))) {
          j++;
        }
        if (j < lower.length() && (lower.charAt(j) == '"' || lower.charAt(j) == '\'')) {
          j++;
        }
        while (j < lower.length() && Character.isWhitespace(lower.charAt(j))) {
          j++;
        }
        if (j < lower.length() && (lower.charAt(j) == ':' || lower.charAt(j) == '=')) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isKeyChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }

  /** The text with every recognized secret masked; {@code null} stays {@code null}. */
  public static String redact(String text) {
    return redact(text, true);
  }

  /**
   * @param screen whether cheap checks decide which expressions to run; without them every expression
   *     runs on every text, which must give the same result (RedactionTest checks that it does)
   */
  static String redact(String text, boolean screen) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    // Cheap substring checks first: this runs on every prompt, command and error, and almost none
    // contains a secret, so most texts never reach a regular expression.
    String lower = text.toLowerCase(Locale.ROOT);
    String out = text;
    if (!screen || lower.contains("private key-----")) {
      out = PEM.matcher(out).replaceAll(MASK);
    }
    for (Token token : TOKENS) {
      if (!screen || token.mayMatch(out)) {
        out = token.pattern().matcher(out).replaceAll(MASK);
      }
    }
    if (!screen || lower.contains("bearer")) {
      out = BEARER.matcher(out).replaceAll("$1$2" + MASK);
    }
    if (screen && !mayAssignAKey(lower)) {
      return out;
    }
    Matcher m = ASSIGNMENT.matcher(out);
    if (m.find()) {
      StringBuilder sb = new StringBuilder(out.length());
      do {
        String value = m.group(4);
        if (value.equals(MASK)) {
          m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
        } else {
          m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + m.group(2) + m.group(3) + MASK));
        }
      } while (m.find());
      m.appendTail(sb);
      out = sb.toString();
    }
    return out;
  }
}
