package dev.loopwatch.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one mapping of the YAML config with typed getters that fall back to defaults, records every
 * problem under its full key name, and rejects keys nobody asked for (typos must not pass silently).
 */
final class ConfigSection {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB)?");

  private final YamlMapping mapping;

  ConfigSection(String prefix, JsonNode node, List<String> problems) {
    this(new YamlMapping(prefix, node, problems));
  }

  private ConfigSection(YamlMapping mapping) {
    this.mapping = mapping;
  }

  ConfigSection section(String key) {
    return new ConfigSection(mapping.child(key));
  }

  String string(String key, String fallback) {
    JsonNode v = take(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isTextual()) {
      return bad(key, "a string", v, fallback);
    }
    return v.asText();
  }

  boolean bool(String key, boolean fallback) {
    JsonNode v = take(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isBoolean()) {
      return bad(key, "true or false", v, fallback);
    }
    return v.asBoolean();
  }

  int integer(String key, int fallback, int min, int max) {
    JsonNode v = take(key);
    if (v == null) {
      return fallback;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      return bad(key, "a whole number", v, fallback);
    }
    return inRange(key, v.asInt(), min, max, fallback, Integer.toString(min), Integer.toString(max));
  }

  Duration duration(String key, Duration fallback, Duration min, Duration max) {
    JsonNode v = take(key);
    if (v == null) {
      return fallback;
    }
    Matcher m = v.isTextual() ? DURATION.matcher(v.asText().trim()) : null;
    if (m == null || !m.matches()) {
      return bad(key, "a duration like 500ms, 30s, 5m, 1h or 7d", v, fallback);
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      mapping.problem(key, v.asText() + " is out of range [" + text(min) + ", " + text(max) + "]");
      return fallback;
    }
    return d;
  }

  long size(String key, long fallback, long min, long max) {
    JsonNode v = take(key);
    if (v == null) {
      return fallback;
    }
    long bytes;
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      bytes = v.asLong();
    } else {
      Matcher m = v.isTextual() ? SIZE.matcher(v.asText().trim()) : null;
      if (m == null || !m.matches()) {
        return bad(key, "a size like 512KiB, 16MiB or a number of bytes", v, fallback);
      }
      String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
      long factor =
          switch (unit) {
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            default -> 1L;
          };
      bytes = Long.parseLong(m.group(1)) * factor;
    }
    return inRange(key, bytes, min, max, fallback, sizeText(min), sizeText(max));
  }

  List<String> strings(String key, List<String> fallback) {
    return mapping.strings(key, fallback, "a list of strings", "a non-empty string", text -> !text.isBlank());
  }

  /** Call last: every key present that no getter asked for is a problem. */
  void rejectUnknown() {
    mapping.rejectUnknown();
  }

  String name(String key) {
    return mapping.name(key);
  }

  private JsonNode take(String key) {
    return mapping.take(key);
  }

  private <T> T bad(String key, String expected, JsonNode got, T fallback) {
    return mapping.bad(key, expected, got, fallback);
  }

  private <T extends Number & Comparable<T>> T inRange(
      String key, T value, T min, T max, T fallback, String minText, String maxText) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      mapping.problem(key, value + " is out of range [" + minText + ", " + maxText + "]");
      return fallback;
    }
    return value;
  }

  static String text(Duration d) {
    if (d.toMillis() % 86_400_000 == 0) {
      return d.toDays() + "d";
    }
    if (d.toMillis() % 3_600_000 == 0) {
      return d.toHours() + "h";
    }
    if (d.toMillis() % 60_000 == 0) {
      return d.toMinutes() + "m";
    }
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + "s";
    }
    return d.toMillis() + "ms";
  }

  static String sizeText(long bytes) {
    if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "GiB";
    }
    if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + "KiB";
    }
    return bytes + "B";
  }
}
