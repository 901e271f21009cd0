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

  /** Whole-match secrets: the match is replaced by the mask. */
  private static final List<Pattern> TOKENS = List.of(
      Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}"),
      Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}"),
      Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{20,}"),
      Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),
      Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"));

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

  private static boolean mentionsAKey(String lower) {
    for (String w : KEY_WORDS) {
      if (lower.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /** The text with every recognized secret masked; {@code null} stays {@code null}. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    // Cheap substring checks first: this runs on every prompt, command and error, and almost none
    // contains a secret, so most texts never reach a regular expression.
    String lower = text.toLowerCase(Locale.ROOT);
    String out = text;
    if (lower.contains("private key-----")) {
      out = PEM.matcher(out).replaceAll(MASK);
    }
    if (out.contains("sk-") || out.contains("gh") || out.contains("AKIA") || out.contains("ASIA") || out.contains("xox")) {
      for (Pattern token : TOKENS) {
        out = token.matcher(out).replaceAll(MASK);
      }
    }
    if (lower.contains("bearer")) {
      out = BEARER.matcher(out).replaceAll("$1$2" + MASK);
    }
    if (!mentionsAKey(lower)) {
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
