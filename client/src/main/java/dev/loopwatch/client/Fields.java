package dev.loopwatch.client;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Forgiving reads of the daemon's JSON (maps, lists, strings, numbers as parsed by the protocol's
 * {@code Json}): a missing or differently typed field reads as absent, so a newer daemon that adds or
 * renames a field degrades one cell to "-" instead of failing the whole command.
 */
final class Fields {
  private Fields() {}

  static Object get(Object node, String key) {
    return node instanceof Map<?, ?> m ? m.get(key) : null;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node, String key) {
    Object v = get(node, key);
    return v instanceof Map ? (Map<String, Object>) v : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node, String key) {
    Object v = get(node, key);
    return v instanceof List ? (List<Object>) v : List.of();
  }

  /** Strings as they are, numbers and booleans as text, anything else (or nothing) as {@code null}. */
  static String str(Object node, String key) {
    Object v = get(node, key);
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return null;
  }

  static Number num(Object node, String key) {
    Object v = get(node, key);
    return v instanceof Number n ? n : null;
  }

  static BigDecimal dec(Object node, String key) {
    Object v = get(node, key);
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    return null;
  }

  static boolean flag(Object node, String key) {
    return Boolean.TRUE.equals(get(node, key));
  }

  /** A name from a list item that is a string or an object naming itself in one of {@code keys}. */
  static String name(Object item, String... keys) {
    if (item instanceof String s) {
      return s;
    }
    for (String k : keys) {
      String v = str(item, k);
      if (v != null) {
        return v;
      }
    }
    return item == null ? null : String.valueOf(item);
  }
}
