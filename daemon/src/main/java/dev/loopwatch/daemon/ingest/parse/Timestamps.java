package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * Reads the timestamps the sources write: ISO-8601 with a zone ({@code 2026-02-10T21:11:59.186Z},
 * {@code +02:00}), ISO-8601 without one (Python's {@code datetime.now().isoformat()}, read in the local zone
 * because such logs are written on this machine), a date alone, and epoch numbers in seconds (possibly
 * fractional, Python's {@code time.time()}), milliseconds, microseconds or nanoseconds. Answers
 * {@code null} for anything else, without throwing.
 *
 * <p>Claude Code's own {@code yyyy-MM-ddTHH:mm:ss.SSSZ} is by far the most frequent shape, so it is read
 * by hand; the rest goes through {@code java.time}.
 */
public final class Timestamps {
  /** Below this an epoch number is seconds (1e11 s is the year 5138); then ms, µs, ns by magnitude. */
  private static final double SECONDS_LIMIT = 1e11;

  private static final double MILLIS_LIMIT = 1e14;
  private static final double MICROS_LIMIT = 1e17;

  private Timestamps() {}

  /** A JSON value: a string (ISO-8601 or digits) or a number (epoch). */
  public static Instant parse(JsonNode value) {
    if (value == null) {
      return null;
    }
    if (value.isIntegralNumber()) {
      return value.canConvertToLong() ? fromEpoch(value.longValue()) : null;
    }
    if (value.isNumber()) {
      return fromEpoch(value.doubleValue());
    }
    return value.isTextual() ? parse(value.textValue()) : null;
  }

  /** The first of {@code fields} that holds a readable timestamp. */
  public static Instant first(JsonNode node, String... fields) {
    if (node == null) {
      return null;
    }
    for (String field : fields) {
      Instant t = parse(node.get(field));
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  public static Instant parse(String s) {
    return parse(s, ZoneId.systemDefault());
  }

  /** @param localZone the zone of timestamps written without one */
  public static Instant parse(String s, ZoneId localZone) {
    if (s == null) {
      return null;
    }
    String t = s.trim();
    if (t.isEmpty()) {
      return null;
    }
    Instant fast = utcFast(t);
    if (fast != null) {
      return fast;
    }
    if (isNumeric(t)) {
      Long whole = JsonFields.parseLong(t);
      return whole != null ? fromEpoch(whole) : fromEpoch(Double.parseDouble(t));
    }
    return isoSlow(t, localZone);
  }

  /** Whole epoch seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude, exactly. */
  public static Instant fromEpoch(long v) {
    if (v < 0) {
      return null;
    }
    try {
      if (v < SECONDS_LIMIT) {
        return Instant.ofEpochSecond(v);
      }
      if (v < MILLIS_LIMIT) {
        return Instant.ofEpochMilli(v);
      }
      if (v < MICROS_LIMIT) {
        return Instant.ofEpochSecond(v / 1_000_000, (v % 1_000_000) * 1_000);
      }
      return Instant.ofEpochSecond(v / 1_000_000_000, v % 1_000_000_000);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** Fractional epoch values ({@code time.time()}), told apart by magnitude like {@link #fromEpoch(long)}. */
  public static Instant fromEpoch(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
      return null;
    }
    try {
      if (v < SECONDS_LIMIT) {
        long secs = (long) v;
        // microseconds: all a double holds at this magnitude, and all time.time() means
        long micros = Math.round((v - secs) * 1e6);
        return Instant.ofEpochSecond(secs, micros * 1_000);
      }
      return fromEpoch((long) v);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} without allocation beyond the result; {@code null} if not that shape. */
  private static Instant utcFast(String t) {
    int len = t.length();
    if (len < 20 || t.charAt(len - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-'
        || (t.charAt(10) != 'T' && t.charAt(10) != 't') || t.charAt(13) != ':' || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int nanos = 0;
    if (len > 20) {
      if (t.charAt(19) != '.' || len - 21 > 9 || len - 21 < 1) {
        return null;
      }
      int fraction = digits(t, 20, len - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = len - 21; i < 9; i++) {
        nanos *= 10;
      }
    } else if (t.charAt(19) != 'Z') {
      return null;
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
      return null;
    }
    try {
      long epochDay = LocalDate.of(year, month, day).toEpochDay();
      return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    } catch (DateTimeException e) {
      return null; // e.g. February 30th
    }
  }

  /** The value of the decimal digits in {@code [from, to)}, or -1 if any is not a digit. */
  private static int digits(String t, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean isNumeric(String t) {
    boolean digit = false;
    boolean dot = false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        return false;
      }
    }
    return digit;
  }

  /** Other ISO-8601 shapes, classified first so that parsing is tried once. */
  private static Instant isoSlow(String t, ZoneId localZone) {
    try {
      if (t.length() == 10) {
        return LocalDate.parse(t).atStartOfDay(localZone).toInstant();
      }
      String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
      if (hasZone(iso)) {
        return OffsetDateTime.parse(iso).toInstant();
      }
      return LocalDateTime.parse(iso).atZone(localZone).toInstant();
    } catch (DateTimeException e) {
      return null; // not a timestamp after all: the caller falls back to the ingestion time
    }
  }

  /** A zone designator after the time part: {@code Z}, or a sign past the date's own dashes. */
  private static boolean hasZone(String iso) {
    int tIndex = iso.indexOf('T');
    if (tIndex < 0) {
      return false;
    }
    char last = iso.charAt(iso.length() - 1);
    if (last == 'Z') {
      return true;
    }
    return iso.indexOf('+', tIndex) > 0 || iso.indexOf('-', tIndex) > 0;
  }
}
