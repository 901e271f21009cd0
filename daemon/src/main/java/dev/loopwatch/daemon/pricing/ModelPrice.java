package dev.loopwatch.daemon.pricing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The price of one model, as one entry of {@code pricing.yaml} says it.
 *
 * @param id the model id the entry is keyed by
 * @param name display name ("Claude Opus 4.6"), or the id when the file gives none
 * @param base rates in USD per million tokens
 * @param tier the long-context tier, or null when the model has none
 * @param fastMultiplier multiplies the whole token cost of requests with {@code usage.speed == "fast"}
 * @param webSearchPer1k USD per 1,000 web search requests
 * @param aliases other ids that mean this model
 */
public record ModelPrice(
    String id,
    String name,
    Rates base,
    Tier tier,
    BigDecimal fastMultiplier,
    BigDecimal webSearchPer1k,
    List<String> aliases) {

  /** Tokens beyond {@code split}'s threshold (the hi side of {@link TokenSums}) cost {@code rates}. */
  public record Tier(TierSplit split, Rates rates) {
    public Tier {
      Objects.requireNonNull(split, "split");
      Objects.requireNonNull(rates, "rates");
    }
  }

  /** Claude Code writes {@code <synthetic>} for messages it made up itself (API errors, "No response requested."). */
  public static final String SYNTHETIC = "<synthetic>";

  public ModelPrice {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(fastMultiplier, "fastMultiplier");
    Objects.requireNonNull(webSearchPer1k, "webSearchPer1k");
    aliases = List.copyOf(aliases);
  }

  /** A model that costs nothing and is known (so never reported as unpriced). */
  public static ModelPrice free(String id) {
    return new ModelPrice(id, id, Rates.ZERO, null, BigDecimal.ONE, BigDecimal.ZERO, List.of());
  }

  /** The split its tokens must be summed with: the tier's, or {@link TierSplit#DEFAULT}. */
  public TierSplit split() {
    return tier == null ? TierSplit.DEFAULT : tier.split();
  }
}
