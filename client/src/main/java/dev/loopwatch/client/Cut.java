package dev.loopwatch.client;

/**
 * The mark left where a long string was shortened to fit a request: {@code …[cut N chars]}, N counted in
 * code points. Cutting a string that already ends with a mark adds the counts, so the daemon learns the
 * original length however many times the text was shortened.
 */
final class Cut {
  static final String PREFIX = "…[cut ";
  static final String SUFFIX = " chars]";

  private Cut() {}

  static String marker(long chars) {
    return PREFIX + chars + SUFFIX;
  }

  /** {@code s} kept to its first {@code keep} chars (never splitting a surrogate pair) and marked. */
  static String cut(String s, int keep) {
    String body = s;
    long already = 0;
    int m = markerStart(s);
    if (m >= 0) {
      already = Long.parseLong(s.substring(m + PREFIX.length(), s.length() - SUFFIX.length()));
      body = s.substring(0, m);
    }
    if (body.length() <= keep) {
      return s;
    }
    int k = Math.max(0, keep);
    if (k > 0 && Character.isHighSurrogate(body.charAt(k - 1))) {
      k--;
    }
    return body.substring(0, k) + marker(body.codePointCount(k, body.length()) + already);
  }

  /** Where the mark at the end of {@code s} starts, or -1. */
  static int markerStart(String s) {
    if (!s.endsWith(SUFFIX)) {
      return -1;
    }
    int m = s.lastIndexOf(PREFIX);
    int digitsEnd = s.length() - SUFFIX.length();
    int digits = m + PREFIX.length();
    if (m < 0 || digits >= digitsEnd || digitsEnd - digits > 18) {
      return -1;
    }
    for (int k = digits; k < digitsEnd; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return m;
  }
}
