package dev.loopwatch.daemon.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.config.YamlMapping;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * One mapping of {@code pricing.yaml} with typed getters that record every problem under its full
 * key ({@code models.claude-opus-4-6.input: expected a non-negative number, got 'x'}) and reject keys
 * nobody asked for, in the style of the config package's reader.
 */
final class PriceSection {
  private final YamlMapping mapping;

  PriceSection(String prefix, JsonNode node, List<String> problems) {
    this(new YamlMapping(prefix, node, problems));
  }

  private PriceSection(YamlMapping mapping) {
    this.mapping = mapping;
  }

  boolean present() {
    return mapping.present();
  }

  /** The keys of this mapping in file order (for mappings whose keys are data, like model ids). */
  List<String> keys() {
    return mapping.keys();
  }

  boolean has(String key) {
    return mapping.has(key);
  }

  PriceSection section(String key) {
    return new PriceSection(mapping.child(key));
  }

  String string(String key, String fallback) {
    JsonNode v = take(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      return bad(key, "a non-empty string", v, fallback);
    }
    return v.asText();
  }

  /** A whole number in [min, max]; {@code null} when absent and not required. */
  Long whole(String key, boolean required, long min, long max) {
    JsonNode v = take(key);
    if (v == null) {
      return missing(key, required, "a whole number");
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      return bad(key, "a whole number", v, null);
    }
    long n = v.asLong();
    if (n < min || n > max) {
      mapping.problem(key, n + " is out of range [" + min + ", " + max + "]");
      return null;
    }
    return n;
  }

  /** A number ≥ 0 (or > 0 when {@code positive}); {@code null} when absent and not required. */
  BigDecimal decimal(String key, boolean required, boolean positive) {
    String expected = positive ? "a positive number" : "a non-negative number";
    JsonNode v = take(key);
    if (v == null) {
      return missing(key, required, expected);
    }
    BigDecimal d = null;
    if (v.isNumber()) {
      try {
        d = v.decimalValue();
      } catch (NumberFormatException e) {
        d = null; // .nan and .inf
      }
    }
    if (d == null || d.signum() < 0 || (positive && d.signum() == 0)) {
      return bad(key, expected, v, null);
    }
    return d;
  }

  LocalDate date(String key, boolean required) {
    JsonNode v = take(key);
    if (v == null) {
      return missing(key, required, "a date like 2026-11-23");
    }
    try {
      return v.isTextual() ? LocalDate.parse(v.asText().trim()) : bad(key, "a date like 2026-11-23", v, null);
    } catch (DateTimeParseException e) {
      return bad(key, "a date like 2026-11-23", v, null);
    }
  }

  /** A list of non-empty strings without whitespace; {@code null} when absent. */
  List<String> names(String key) {
    return mapping.strings(key, null, "a list of model ids", "a model id (no spaces)", PriceSection::isModelId);
  }

  /** Call last: every key present that no getter asked for is a problem (typos must not pass silently). */
  void rejectUnknown() {
    mapping.rejectUnknown();
  }

  String name(String key) {
    return mapping.name(key);
  }

  String where() {
    return mapping.where();
  }

  void problem(String key, String text) {
    mapping.problem(key, text);
  }

  static boolean isModelId(String s) {
    return !s.isBlank() && s.chars().noneMatch(Character::isWhitespace);
  }

  private JsonNode take(String key) {
    return mapping.take(key);
  }

  private <T> T missing(String key, boolean required, String expected) {
    return mapping.missing(key, required, expected);
  }

  private <T> T bad(String key, String expected, JsonNode got, T fallback) {
    return mapping.bad(key, expected, got, fallback);
  }
}
