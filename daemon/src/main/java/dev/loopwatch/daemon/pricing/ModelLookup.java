package dev.loopwatch.daemon.pricing;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the price of a model id as logs spell it. In order: the exact id, an alias, the same two
 * after normalizing ({@code anthropic/claude-opus-4.6} → {@code claude-opus-4-6}), the id without a
 * trailing {@code -YYYYMMDD} date, and finally the longest known id or alias that is a prefix of it
 * ({@code claude-opus-4-6[1m]}, {@code claude-sonnet-4-6-20270101-v2}). {@code <synthetic>} is free.
 *
 * <p>A prefix only matches at a boundary, and never when the rest begins with another version number:
 * {@code claude-opus-4} must not price a future {@code claude-opus-4-9} at Opus 4's rates (an unknown
 * model is reported; a wrong price is not). A following 8-digit date is not a version.
 */
final class ModelLookup {
  private static final Pattern TRAILING_DATE = Pattern.compile("-\\d{8}$");
  private static final ModelPrice SYNTHETIC = ModelPrice.free(ModelPrice.SYNTHETIC);

  /** Every id and alias, mapped to its entry. */
  private final Map<String, ModelPrice> names;

  ModelLookup(Map<String, ModelPrice> names) {
    this.names = Map.copyOf(names);
  }

  Optional<ModelPrice> find(String model) {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    if (model.equals(ModelPrice.SYNTHETIC)) {
      return Optional.of(SYNTHETIC);
    }
    ModelPrice p = names.get(model);
    if (p != null) {
      return Optional.of(p);
    }
    String normalized = normalize(model);
    p = names.get(normalized);
    if (p != null) {
      return Optional.of(p);
    }
    String undated = TRAILING_DATE.matcher(normalized).replaceFirst("");
    p = names.get(undated);
    if (p != null) {
      return Optional.of(p);
    }
    String best = null;
    for (String key : names.keySet()) {
      if ((best == null || key.length() > best.length()) && prefixMatches(normalized, key)) {
        best = key;
      }
    }
    return best == null ? Optional.empty() : Optional.of(names.get(best));
  }

  /**
   * Lower case; without a provider prefix ({@code anthropic/}, Bedrock's {@code us.anthropic.}); with
   * {@code .} and {@code @} as {@code -} (Vertex writes {@code claude-sonnet-4-5@20250929}).
   */
  static String normalize(String model) {
    String m = model.trim().toLowerCase(Locale.ROOT);
    m = m.substring(m.lastIndexOf('/') + 1);
    int bedrock = m.indexOf("anthropic.");
    if (bedrock >= 0) {
      m = m.substring(bedrock + "anthropic.".length());
    }
    return m.replace('.', '-').replace('@', '-');
  }

  static boolean prefixMatches(String model, String key) {
    if (!model.startsWith(key) || key.isEmpty()) {
      return false;
    }
    if (model.length() == key.length()) {
      return true;
    }
    char next = model.charAt(key.length());
    if (Character.isLetterOrDigit(next)) {
      return false; // claude-opus-4-1 is not claude-opus-4-10
    }
    if (Character.isDigit(key.charAt(key.length() - 1)) && next == '-') {
      int start = key.length() + 1;
      int end = start;
      while (end < model.length() && Character.isDigit(model.charAt(end))) {
        end++;
      }
      if (end > start) {
        boolean date = end - start == 8 && (end == model.length() || !Character.isLetterOrDigit(model.charAt(end)));
        return date; // claude-opus-4 + "-9…" is another version; + "-20250514" is a date
      }
    }
    return true;
  }
}
