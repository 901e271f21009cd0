package dev.loopwatch.daemon.store.query;

import dev.loopwatch.daemon.pricing.TokenSums;
import java.math.BigDecimal;

/**
 * Token and cost totals, named as ccusage names them so both tools' JSON can be compared directly.
 * {@code cacheCreationTokens} counts 5-minute and 1-hour cache writes together.
 */
public record UsageTotals(
    long inputTokens,
    long outputTokens,
    long cacheCreationTokens,
    long cacheReadTokens,
    long totalTokens,
    BigDecimal totalCost,
    long requests) {

  public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0, BigDecimal.ZERO, 0);

  static UsageTotals of(TokenSums t, BigDecimal cost, long requests) {
    long input = t.input();
    long output = t.output();
    long write = t.cacheWrite();
    long read = t.cacheRead();
    return new UsageTotals(input, output, write, read, input + output + write + read, cost, requests);
  }

  UsageTotals plus(UsageTotals o) {
    return new UsageTotals(
        inputTokens + o.inputTokens,
        outputTokens + o.outputTokens,
        cacheCreationTokens + o.cacheCreationTokens,
        cacheReadTokens + o.cacheReadTokens,
        totalTokens + o.totalTokens,
        totalCost.add(o.totalCost),
        requests + o.requests);
  }
}
