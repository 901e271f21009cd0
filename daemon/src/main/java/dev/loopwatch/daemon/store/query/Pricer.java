package dev.loopwatch.daemon.store.query;

import dev.loopwatch.daemon.pricing.TokenSums;
import java.math.BigDecimal;

/** Prices token sums of one model; queries price at query time, so a price fix re-prices history. */
public interface Pricer {
  /** The cost, or {@code null} when the model has no price (the caller lists it, never counts $0). */
  BigDecimal cost(String model, String speed, TokenSums sums);
}
