package dev.loopwatch.daemon.pricing;

import java.math.BigDecimal;
import java.util.Objects;

/** Prices of each token type, in USD per million tokens (exact decimals, as written in pricing.yaml). */
public record Rates(
    BigDecimal input, BigDecimal output, BigDecimal cacheWrite5m, BigDecimal cacheWrite1h, BigDecimal cacheRead) {

  public static final Rates ZERO = new Rates(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

  public Rates {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(cacheWrite5m, "cacheWrite5m");
    Objects.requireNonNull(cacheWrite1h, "cacheWrite1h");
    Objects.requireNonNull(cacheRead, "cacheRead");
  }
}
