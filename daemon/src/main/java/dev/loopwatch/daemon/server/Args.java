package dev.loopwatch.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwatch.protocol.Protocol.ErrorCode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Typed access to a request's {@code args}, with an error that names the argument for anything missing,
 * malformed or unknown (a typo must not be silently ignored).
 */
final class Args {
  private static final DateTimeFormatter COMPACT = DateTimeFormatter.BASIC_ISO_DATE;

  private final ObjectNode args;
  private final Set<String> asked = new LinkedHashSet<>();

  Args(JsonNode args) throws RequestException {
    if (args == null || args.isNull()) {
      this.args = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    } else if (args instanceof ObjectNode o) {
      this.args = o;
    } else {
      throw new RequestException(ErrorCode.BAD_ARGS, "args must be an object");
    }
  }

  String string(String name) throws RequestException {
    JsonNode v = take(name);
    if (v == null) {
      return null;
    }
    if (!v.isValueNode()) {
      throw bad(name, "a string");
    }
    String s = v.asText();
    return s.isBlank() ? null : s;
  }

  String required(String name) throws RequestException {
    String s = string(name);
    if (s == null) {
      throw new RequestException(ErrorCode.BAD_ARGS, name + ": required");
    }
    return s;
  }

  int integer(String name, int fallback, int min, int max) throws RequestException {
    JsonNode v = take(name);
    if (v == null) {
      return fallback;
    }
    int n;
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      n = v.asInt();
    } else if (v.isTextual() && v.asText().matches("-?\\d{1,9}")) {
      n = Integer.parseInt(v.asText());
    } else {
      throw bad(name, "a whole number");
    }
    if (n < min || n > max) {
      throw new RequestException(ErrorCode.BAD_ARGS, name + ": " + n + " is out of range [" + min + ", " + max + "]");
    }
    return n;
  }

  boolean bool(String name, boolean fallback) throws RequestException {
    JsonNode v = take(name);
    if (v == null) {
      return fallback;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
      return Boolean.parseBoolean(v.asText());
    }
    throw bad(name, "true or false");
  }

  /** A calendar day as {@code YYYY-MM-DD} or {@code YYYYMMDD} (ccusage's form). */
  LocalDate date(String name) throws RequestException {
    String s = string(name);
    if (s == null) {
      return null;
    }
    try {
      return s.length() == 8 ? LocalDate.parse(s, COMPACT) : LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw bad(name, "a date like 2026-02-12 or 20260212");
    }
  }

  ZoneId zone(String name, ZoneId fallback) throws RequestException {
    String s = string(name);
    if (s == null) {
      return fallback;
    }
    try {
      return ZoneId.of(s);
    } catch (DateTimeException e) {
      throw bad(name, "a time zone like UTC, Europe/Berlin or +02:00");
    }
  }

  JsonNode node(String name) {
    return take(name);
  }

  /** Call after reading: an argument nobody asked for is an error. */
  void noOthers() throws RequestException {
    for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!asked.contains(name)) {
        throw new RequestException(
            ErrorCode.BAD_ARGS,
            name + ": unknown argument"
                + (asked.isEmpty() ? "; this op takes no arguments" : " (known: " + String.join(", ", asked) + ")"));
      }
    }
  }

  private JsonNode take(String name) {
    asked.add(name);
    JsonNode v = args.get(name);
    return v == null || v.isNull() ? null : v;
  }

  private static RequestException bad(String name, String expected) {
    return new RequestException(ErrorCode.BAD_ARGS, name + ": expected " + expected);
  }
}
