package dev.loopwatch.daemon.store.query;

import dev.loopwatch.daemon.pricing.TierSplit;
import dev.loopwatch.daemon.pricing.TokenSums;
import java.math.BigDecimal;

/** Prices token sums of one model; queries price at query time, so a price fix re-prices history. */
public interface Pricer {
  /** How the store split this model's requests (sums carry it, so tiers are priced right). */
  TierSplit splitFor(String model);

  /** The cost, or {@code null} when the model has no price (the caller lists it, never counts $0). */
  BigDecimal cost(String model, String speed, TokenSums sums);

  /** A pricer that knows every model and charges nothing: for token-only questions and tests. */
  static Pricer free() {
    return new Pricer() {
      @Override
      public TierSplit splitFor(String model) {
        return TierSplit.DEFAULT;
      }

      @Override
      public BigDecimal cost(String model, String speed, TokenSums sums) {
        return BigDecimal.ZERO;
      }
    };
  }
}
