package dev.loopwatch.daemon.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One mapping of a YAML file being validated: hands out its values by key, remembers which keys were
 * asked for, and records every problem under the key's full dotted name. The typed readers of the
 * config file and of the price file build on it.
 */
public final class YamlMapping {
  private final String prefix;
  private final ObjectNode node;
  private final List<String> problems;
  private final Set<String> known = new LinkedHashSet<>();

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // a key written twice is a mistake, not an override
          .build();

  /** The tree of a YAML text ({@code null} when blank), or the line where it stops being YAML. */
  public static JsonNode parse(String yaml, String source) throws ConfigException {
    try {
      return yaml.isBlank() ? null : YAML.readTree(yaml);
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException(source, List.of("not valid YAML" + where + ": " + e.getOriginalMessage()));
    }
  }

  /** {@code prefix}: the dotted name of this mapping plus a dot, or "" at the top of the file. */
  public YamlMapping(String prefix, JsonNode node, List<String> problems) {
    this.prefix = prefix;
    this.problems = problems;
    if (node == null || node.isNull() || node.isMissingNode()) {
      this.node = null;
    } else if (node instanceof ObjectNode object) {
      this.node = object;
    } else {
      problems.add(where() + ": expected a mapping of keys, got " + describe(node));
      this.node = null;
    }
  }

  /** The mapping under {@code key} (absent: an empty one). */
  public YamlMapping child(String key) {
    return new YamlMapping(name(key) + ".", take(key), problems);
  }

  /** The value of {@code key}, or {@code null} when absent or null; the key counts as known. */
  public JsonNode take(String key) {
    known.add(key);
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  public boolean present() {
    return node != null;
  }

  public boolean has(String key) {
    return node != null && node.hasNonNull(key);
  }

  /** The keys of this mapping in file order (for mappings whose keys are data, like model ids). */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    if (node != null) {
      node.fieldNames().forEachRemaining(keys::add);
    }
    return keys;
  }

  /** Call last: every key present that no getter asked for is a problem (typos must not pass silently). */
  public void rejectUnknown() {
    if (node == null) {
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        problems.add(
            name(key) + ": unknown key" + (known.isEmpty() ? "" : " (known here: " + String.join(", ", known) + ")"));
      }
    }
  }

  /** The full dotted name of {@code key}. */
  public String name(String key) {
    return key.isEmpty() ? where() : prefix + key;
  }

  /** The full dotted name of this mapping ("" at the top). */
  public String where() {
    return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  public void problem(String key, String text) {
    problems.add(name(key) + ": " + text);
  }

  /**
   * The list of strings under {@code key}, or {@code fallback} when absent. Items that are not strings or
   * fail {@code valid} are each reported as {@code key[i]: expected <item>} and left out.
   *
   * @param list what the whole value should be ("a list of strings")
   * @param item what each item should be ("a non-empty string")
   */
  public List<String> strings(String key, List<String> fallback, String list, String item, Predicate<String> valid) {
    JsonNode v = take(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isArray()) {
      return bad(key, list, v, fallback);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode value = v.get(i);
      if (!value.isTextual() || !valid.test(value.asText())) {
        bad(key + "[" + i + "]", item, value, null);
      } else {
        out.add(value.asText());
      }
    }
    return out;
  }

  /** Records "expected …, got …" for {@code key} and returns {@code fallback}. */
  public <T> T bad(String key, String expected, JsonNode got, T fallback) {
    problem(key, "expected " + expected + ", got " + describe(got));
    return fallback;
  }

  /** Records a missing required key; returns {@code null} either way. */
  public <T> T missing(String key, boolean required, String expected) {
    if (required) {
      problem(key, "missing; expected " + expected);
    }
    return null;
  }

  /** A value as a message shows it: strings quoted, mappings and lists named. */
  public static String describe(JsonNode v) {
    if (v.isTextual()) {
      return "'" + v.asText() + "'";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    return v.toString();
  }
}
