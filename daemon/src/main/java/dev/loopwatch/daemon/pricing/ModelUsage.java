package dev.loopwatch.daemon.pricing;

import java.util.Objects;

/**
 * Summed tokens of one model at one speed, as the store keeps them.
 *
 * @param model the model id as the log spells it (null when the log gave none)
 * @param speed {@code usage.speed} of the requests ("fast" multiplies the cost), or null
 * @param tokens the requests' sums, each request split with {@link PriceTable#splitFor}(model)
 */
public record ModelUsage(String model, String speed, TokenSums tokens) {
  public ModelUsage {
    Objects.requireNonNull(tokens, "tokens");
  }
}
