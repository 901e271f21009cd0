package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Null-safe reads of optional JSON fields. Every source format here is someone else's internal format
 * that changes between versions, so a field may be missing, null, or of another type than last time:
 * each accessor answers {@code null} (or 0) instead of failing, and never throws.
 */
final class JsonFields {
  private JsonFields() {}

  /** The field's text when it is a JSON string, else {@code null}. */
  static String text(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  /** Like {@link #text} but also renders numbers and booleans (ids, pids, exit codes). */
  static String scalar(JsonNode node, String field) {
    return node == null ? null : scalar(node.get(field));
  }

  static String scalar(JsonNode v) {
    if (v == null) {
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    if (v.isNumber()) {
      return decimal(v);
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? "true" : "false";
    }
    return null;
  }

  /** The field when it is a JSON object, else {@code null}. */
  static JsonNode object(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    return v != null && v.isObject() ? v : null;
  }

  /** The field when it is a JSON array, else {@code null}. */
  static JsonNode array(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    return v != null && v.isArray() ? v : null;
  }

  /** A whole number: JSON numbers (fractions truncated) and strings of digits; else {@code null}. */
  static Long number(JsonNode node, String field) {
    return node == null ? null : number(node.get(field));
  }

  static Long number(JsonNode v) {
    if (v == null) {
      return null;
    }
    if (v.isNumber()) {
      return v.isIntegralNumber() && !v.canConvertToLong() ? null : v.longValue();
    }
    if (v.isTextual()) {
      return parseLong(v.textValue());
    }
    return null;
  }

  /** A token count or similar: a whole number clamped to {@code >= 0}; missing or odd values are 0. */
  static long count(JsonNode node, String field) {
    Long v = number(node, field);
    return v == null || v < 0 ? 0 : v;
  }

  /** A JSON number as a double (for fractional seconds), or {@code null}. */
  static Double real(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    return v != null && v.isNumber() ? v.doubleValue() : null;
  }

  /** JSON booleans and the strings "true"/"false"; anything else is {@code null}. */
  static Boolean bool(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    if (v == null) {
      return null;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual()) {
      String t = v.textValue();
      if ("true".equalsIgnoreCase(t)) {
        return Boolean.TRUE;
      }
      if ("false".equalsIgnoreCase(t)) {
        return Boolean.FALSE;
      }
    }
    return null;
  }

  /** {@link #bool} rendered as an attribute value ("true"/"false"), or {@code null}. */
  static String boolText(JsonNode node, String field) {
    Boolean b = bool(node, field);
    return b == null ? null : b.toString();
  }

  /** A number as a plain decimal string (no exponent), e.g. a cost in USD; {@code null} if not a number. */
  static String decimal(JsonNode v) {
    if (v == null || !v.isNumber()) {
      return null;
    }
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    return v.decimalValue().stripTrailingZeros().toPlainString();
  }

  /** Parses an optionally signed run of digits without throwing; {@code null} if it is anything else. */
  static Long parseLong(String s) {
    if (s == null) {
      return null;
    }
    int len = s.length();
    if (len == 0 || len > 19) {
      return null;
    }
    int i = s.charAt(0) == '-' ? 1 : 0;
    if (i == len) {
      return null;
    }
    long value = 0;
    for (; i < len; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      value = value * 10 + (c - '0');
      if (value < 0) {
        return null; // overflow
      }
    }
    return s.charAt(0) == '-' ? -value : value;
  }
}
