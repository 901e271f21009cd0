package dev.loopwatch.daemon.pricing;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Exact costs (BigDecimal, never floating point) of summed tokens, the way ccusage 20 computes them
 * per request: for each token type, lo tokens at the base rate plus hi tokens at the tier's rate
 * (models without a tier: all at the base rate), the whole times the fast multiplier when {@code
 * usage.speed} is "fast". Because every request was split before summing, pricing the sums gives the
 * same total as pricing each request. Web searches cost {@code webSearchPer1k} per 1,000 (0 in the
 * shipped table, as in ccusage) and are not multiplied by fast mode.
 */
public final class CostCalculator {

  private final PriceTable prices;

  public CostCalculator(PriceTable prices) {
    this.prices = prices;
  }

  /**
   * The cost in USD of {@code tokens} of {@code model}; $0 when the model has no price (use {@link
   * #price} to learn which models those are).
   *
   * @throws IllegalArgumentException when the model has a tier and {@code tokens} were split by
   *     another rule than the tier's (re-split the requests with {@link PriceTable#splitFor})
   */
  public BigDecimal cost(String model, String speed, TokenSums tokens) {
    return prices.lookup(model).map(p -> cost(p, isFast(speed), tokens)).orElse(BigDecimal.ZERO);
  }

  /** Prices every row; models without a price are listed, never silently counted as $0. */
  public Priced price(Collection<ModelUsage> usage) {
    BigDecimal total = BigDecimal.ZERO;
    SortedMap<String, BigDecimal> byModel = new TreeMap<>();
    SortedSet<String> unknown = new TreeSet<>();
    for (ModelUsage u : usage) {
      String name = u.model() == null || u.model().isBlank() ? Priced.NO_MODEL : u.model();
      Optional<ModelPrice> price = prices.lookup(u.model());
      BigDecimal cost = price.map(p -> cost(p, isFast(u.speed()), u.tokens())).orElse(BigDecimal.ZERO);
      // Like ccusage, a model is only "missing a price" when it actually has usage.
      if (price.isEmpty() && !u.tokens().isZero()) {
        unknown.add(name);
      }
      total = total.add(cost);
      byModel.merge(name, cost, BigDecimal::add);
    }
    return new Priced(total, byModel, unknown);
  }

  static boolean isFast(String speed) {
    return "fast".equals(speed);
  }

  static BigDecimal cost(ModelPrice price, boolean fast, TokenSums t) {
    Rates base = price.base();
    ModelPrice.Tier tier = price.tier();
    if (tier != null && !t.isZero() && !t.split().equals(tier.split())) {
      throw new IllegalArgumentException(
          price.id() + " must be summed split " + tier.split() + ", but these sums were split " + t.split()
              + ": re-split its requests with PriceTable.splitFor");
    }
    // Without a tier the hi side is billed at base rates too (ccusage's tiered_cost with no "above" rate).
    Rates hi = tier != null ? tier.rates() : base;
    BigDecimal perMillion =
        base.input().multiply(BigDecimal.valueOf(t.inputLo()))
            .add(hi.input().multiply(BigDecimal.valueOf(t.inputHi())))
            .add(base.output().multiply(BigDecimal.valueOf(t.outputLo())))
            .add(hi.output().multiply(BigDecimal.valueOf(t.outputHi())))
            .add(base.cacheWrite5m().multiply(BigDecimal.valueOf(t.cacheWrite5mLo())))
            .add(hi.cacheWrite5m().multiply(BigDecimal.valueOf(t.cacheWrite5mHi())))
            .add(base.cacheWrite1h().multiply(BigDecimal.valueOf(t.cacheWrite1hLo())))
            .add(hi.cacheWrite1h().multiply(BigDecimal.valueOf(t.cacheWrite1hHi())))
            .add(base.cacheRead().multiply(BigDecimal.valueOf(t.cacheReadLo())))
            .add(hi.cacheRead().multiply(BigDecimal.valueOf(t.cacheReadHi())));
    if (fast) {
      perMillion = perMillion.multiply(price.fastMultiplier());
    }
    BigDecimal webSearch = price.webSearchPer1k().multiply(BigDecimal.valueOf(t.webSearch())).movePointLeft(3);
    return perMillion.movePointLeft(6).add(webSearch);
  }
}
