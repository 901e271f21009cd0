package dev.loopwatch.daemon.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.config.ConfigException;
import dev.loopwatch.daemon.config.YamlMapping;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one {@code pricing.yaml} (the built-in table or a user's override, same schema) into model
 * prices, validating every value and naming the key of each problem. Merging is {@link PriceTable}'s job.
 */
final class PriceFileReader {
  private static final BigDecimal CACHE_WRITE_5M = new BigDecimal("1.25");
  private static final BigDecimal CACHE_WRITE_1H = new BigDecimal("2");
  private static final BigDecimal CACHE_READ = new BigDecimal("0.1");

  /**
   * One file's content.
   *
   * @param models entries by id, in file order
   * @param aliasesGiven ids of the entries that list {@code aliases} (an override without the key keeps
   *     the built-in aliases)
   */
  record PriceFile(String source, Integer version, LocalDate updated, Map<String, ModelPrice> models, List<String> aliasesGiven) {}

  private PriceFileReader() {}

  /**
   * @param builtin whether this is the shipped table: then {@code version}, {@code updated} and at
   *     least one model are required
   */
  static PriceFile read(String yaml, String source, boolean builtin) throws ConfigException {
    JsonNode root = YamlMapping.parse(yaml, source);
    List<String> problems = new ArrayList<>();
    PriceSection top = new PriceSection("", root, problems);
    Long version = top.whole("version", builtin, 1, Integer.MAX_VALUE);
    LocalDate updated = top.date("updated", builtin);
    PriceSection models = top.section("models");
    top.rejectUnknown();

    Map<String, ModelPrice> prices = new LinkedHashMap<>();
    List<String> aliasesGiven = new ArrayList<>();
    if (builtin && models.keys().isEmpty()) {
      problems.add("models: missing; expected a mapping from model id to its price");
    }
    for (String id : models.keys()) {
      if (!PriceSection.isModelId(id)) {
        models.problem(id, "a model id must not be empty or contain spaces");
        continue;
      }
      if (id.equals(ModelPrice.SYNTHETIC)) {
        models.problem(id, "reserved: Claude Code's own " + ModelPrice.SYNTHETIC + " messages are always free");
        continue;
      }
      PriceSection entry = models.section(id);
      if (!entry.present()) {
        continue; // already reported: not a mapping
      }
      boolean hasAliases = entry.has("aliases");
      ModelPrice price = model(id, entry);
      if (price != null) {
        prices.put(id, price);
        if (hasAliases) {
          aliasesGiven.add(id);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return new PriceFile(source, version == null ? null : version.intValue(), updated, prices, aliasesGiven);
  }

  private static ModelPrice model(String id, PriceSection entry) {
    String name = entry.string("name", id);
    Rates base = rates(entry);
    boolean tiered = entry.has("above");
    PriceSection above = entry.section("above");
    ModelPrice.Tier tier = above.present() ? tier(above) : null;
    BigDecimal fast = entry.decimal("fastMultiplier", false, true);
    BigDecimal webSearch = entry.decimal("webSearchPer1k", false, false);
    List<String> aliases = entry.names("aliases");
    if (aliases != null) {
      for (int i = 0; i < aliases.size(); i++) {
        if (aliases.get(i).equals(id)) {
          entry.problem("aliases[" + i + "]", "'" + id + "' is the model's own id");
        } else if (aliases.indexOf(aliases.get(i)) < i) {
          entry.problem("aliases[" + i + "]", "'" + aliases.get(i) + "' is listed twice");
        }
      }
    }
    entry.rejectUnknown();
    if (base == null || (tiered && tier == null)) {
      return null;
    }
    return new ModelPrice(
        id,
        name,
        base,
        tier,
        fast == null ? BigDecimal.ONE : fast,
        webSearch == null ? BigDecimal.ZERO : webSearch,
        aliases == null ? List.of() : aliases);
  }

  private static ModelPrice.Tier tier(PriceSection above) {
    Long threshold = above.whole("threshold", true, 1, Long.MAX_VALUE);
    String basisText = above.string("basis", TierSplit.Basis.PER_TYPE.key());
    TierSplit.Basis basis = null;
    for (TierSplit.Basis b : TierSplit.Basis.values()) {
      if (b.key().equals(basisText)) {
        basis = b;
      }
    }
    if (basis == null) {
      above.problem("basis", "expected perType or prompt, got '" + basisText + "'");
    }
    Rates rates = rates(above);
    above.rejectUnknown();
    return threshold == null || basis == null || rates == null ? null : new ModelPrice.Tier(new TierSplit(threshold, basis), rates);
  }

  /**
   * input and output are required; the cache rates default to Anthropic's multiples of input (which
   * are also ccusage's: 1h writes are always 2 × input there).
   */
  private static Rates rates(PriceSection s) {
    BigDecimal input = s.decimal("input", true, false);
    BigDecimal output = s.decimal("output", true, false);
    BigDecimal cw5 = s.decimal("cacheWrite5m", false, false);
    BigDecimal cw1 = s.decimal("cacheWrite1h", false, false);
    BigDecimal read = s.decimal("cacheRead", false, false);
    if (input == null || output == null || (cw5 == null && s.has("cacheWrite5m"))
        || (cw1 == null && s.has("cacheWrite1h")) || (read == null && s.has("cacheRead"))) {
      return null;
    }
    return new Rates(
        input,
        output,
        cw5 != null ? cw5 : input.multiply(CACHE_WRITE_5M),
        cw1 != null ? cw1 : input.multiply(CACHE_WRITE_1H),
        read != null ? read : input.multiply(CACHE_READ));
  }
}
