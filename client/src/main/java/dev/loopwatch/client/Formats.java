package dev.loopwatch.client;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;

/** How numbers, money, durations and times look in the client's tables. */
final class Formats {
  static final String NONE = "-";

  private Formats() {}

  /** Whole numbers with thousands separators: {@code 1,234,567}. */
  static String count(Number n) {
    if (n == null) {
      return NONE;
    }
    if (n instanceof BigDecimal d && d.scale() > 0) {
      n = d.setScale(0, RoundingMode.HALF_UP);
    }
    String digits = n instanceof BigDecimal d ? d.toPlainString() : Long.toString(n.longValue());
    boolean negative = digits.startsWith("-");
    if (negative) {
      digits = digits.substring(1);
    }
    StringBuilder sb = new StringBuilder(digits.length() + digits.length() / 3 + 1);
    int lead = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
    sb.append(digits, 0, lead);
    for (int k = lead; k < digits.length(); k += 3) {
      sb.append(',').append(digits, k, k + 3);
    }
    return negative ? "-" + sb : sb.toString();
  }

  /** Dollars: {@code $12.34}, four decimals below a dollar ({@code $0.0123}), {@code $0.00} for nothing. */
  static String money(BigDecimal usd) {
    if (usd == null) {
      return NONE;
    }
    if (usd.signum() == 0) {
      return "$0.00";
    }
    BigDecimal small = usd.setScale(4, RoundingMode.HALF_UP);
    int scale = small.abs().compareTo(BigDecimal.ONE) < 0 ? 4 : 2;
    String s = usd.setScale(scale, RoundingMode.HALF_UP).toPlainString();
    return s.startsWith("-") ? "-$" + s.substring(1) : "$" + s;
  }

  /** {@code 850ms}, {@code 3.4s}, {@code 42s}, {@code 3m12s}, {@code 1h05m}, {@code 2d03h}. */
  static String duration(Number ms) {
    if (ms == null) {
      return NONE;
    }
    long t = ms.longValue();
    if (t < 0) {
      return NONE;
    }
    if (t < 1000) {
      return t + "ms";
    }
    long s = t / 1000;
    if (s < 10) {
      return s + "." + (t % 1000) / 100 + "s";
    }
    if (s < 60) {
      return s + "s";
    }
    long m = s / 60;
    if (m < 60) {
      return m + "m" + two(s % 60) + "s";
    }
    long h = m / 60;
    if (h < 24) {
      return h + "h" + two(m % 60) + "m";
    }
    return h / 24 + "d" + two(h % 24) + "h";
  }

  /** Binary units: {@code 512 B}, {@code 4.5 KiB}, {@code 12.3 MiB}, {@code 1.2 GiB}. */
  static String bytes(Number n) {
    if (n == null) {
      return NONE;
    }
    long b = n.longValue();
    if (b < 1024) {
      return b + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = b;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP).toPlainString() + " " + units[u];
  }

  /** A number with {@code decimals} decimals: {@code 7.20}. */
  static String decimal(Number n, int decimals) {
    if (n == null) {
      return NONE;
    }
    return new BigDecimal(n.toString()).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
  }

  /** A fraction (0..1) as a percentage with one decimal: {@code 97.5%}. */
  static String percent(Number fraction) {
    if (fraction == null) {
      return NONE;
    }
    BigDecimal p = new BigDecimal(fraction.toString()).multiply(BigDecimal.valueOf(100));
    return p.setScale(1, RoundingMode.HALF_UP).toPlainString() + "%";
  }

  /** An ISO-8601 instant as local time in {@code zone}, to the minute: {@code 2026-02-12 16:02}. */
  static String time(String iso, ZoneId zone) {
    if (iso == null || iso.isBlank()) {
      return NONE;
    }
    LocalDateTime t;
    try {
      t = LocalDateTime.ofInstant(Instant.parse(iso), zone);
    } catch (DateTimeException e) {
      try {
        t = LocalDateTime.ofInstant(OffsetDateTime.parse(iso).toInstant(), zone);
      } catch (DateTimeException notAnInstant) {
        return iso; // a date or something newer: shown as it came
      }
    }
    return t.getYear() + "-" + two(t.getMonthValue()) + "-" + two(t.getDayOfMonth()) + " " + two(t.getHour()) + ":"
        + two(t.getMinute());
  }

  /** The zone to show times in: {@code --timezone}, else {@code $TZ}, else the system's. */
  static ZoneId zone(String flag, Map<String, String> env) {
    for (String z : new String[] {flag, env.get("TZ")}) {
      if (z != null && !z.isBlank()) {
        try {
          return ZoneId.of(z.startsWith(":") ? z.substring(1) : z);
        } catch (DateTimeException e) {
          // not a zone Java knows (the daemon says so for --timezone): try the next
        }
      }
    }
    return ZoneId.systemDefault();
  }

  /** One line (newlines and tabs become spaces), at most {@code max} chars, "…" where cut. */
  static String clip(String s, int max) {
    if (s == null) {
      return NONE;
    }
    String one = oneLine(s);
    return one.length() <= max ? one : one.substring(0, Math.max(0, max - 1)) + "…";
  }

  /** Like {@link #clip} but keeps the end (paths: the file name matters most). */
  static String clipStart(String s, int max) {
    if (s == null) {
      return NONE;
    }
    String one = oneLine(s);
    return one.length() <= max ? one : "…" + one.substring(one.length() - Math.max(0, max - 1));
  }

  /** Line breaks become " / " (a table row stays one line, the break stays visible), tabs spaces. */
  static String oneLine(String s) {
    if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0 && s.indexOf('\t') < 0) {
      return s;
    }
    String t = s.strip().replace("\r\n", "\n").replace('\r', '\n').replace('\t', ' ');
    StringBuilder sb = new StringBuilder(t.length() + 16);
    boolean broken = false;
    for (int k = 0; k < t.length(); k++) {
      char c = t.charAt(k);
      if (c == '\n') {
        if (!broken) {
          sb.append(" / ");
          broken = true;
        }
      } else {
        sb.append(c);
        broken = false;
      }
    }
    return sb.toString();
  }

  static String orNone(String s) {
    return s == null || s.isEmpty() ? NONE : s;
  }

  private static String two(long v) {
    return v < 10 ? "0" + v : Long.toString(v);
  }
}
