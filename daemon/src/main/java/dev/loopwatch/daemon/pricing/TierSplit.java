package dev.loopwatch.daemon.pricing;

import dev.loopwatch.daemon.event.Usage;

/**
 * How one request's tokens are divided between base rates ("lo") and a long-context tier ("hi").
 * The division must happen per request, before summing: a sum of many requests cannot be split
 * afterwards. Which split a model needs is part of its price ({@link PriceTable#splitFor}).
 *
 * @param threshold tokens at or below which base rates apply
 * @param basis which tokens the threshold is compared with
 */
public record TierSplit(long threshold, Basis basis) {

  /** ccusage's rule at 200,000 tokens: what the store uses for every model without another tier. */
  public static final TierSplit DEFAULT = new TierSplit(TokenSums.LONG_CONTEXT_THRESHOLD, Basis.PER_TYPE);

  public enum Basis {
    /**
     * ccusage 20's {@code tiered_cost}: each token type of each request on its own; its first
     * {@code threshold} tokens are lo, the rest hi. (Anthropic bills long context by prompt size, but
     * Loopwatch's totals must equal ccusage's, so the Sonnet 4/4.5 tier uses this rule.)
     */
    PER_TYPE,
    /**
     * Anthropic's rule for models priced by prompt length (Haiku 5.5): a request whose prompt (input +
     * cache writes + cache reads) exceeds {@code threshold} has ALL its tokens, output included, in hi.
     */
    PROMPT;

    /** The spelling used in {@code pricing.yaml}. */
    public String key() {
      return this == PER_TYPE ? "perType" : "prompt";
    }
  }

  public TierSplit {
    if (threshold <= 0) {
      throw new IllegalArgumentException("tier threshold must be positive, got " + threshold);
    }
    if (basis == null) {
      throw new IllegalArgumentException("tier basis is required");
    }
  }

  /** Splits one request's usage. Counts must not be negative. */
  public TokenSums split(long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead, long webSearch) {
    if (input < 0 || output < 0 || cacheWrite5m < 0 || cacheWrite1h < 0 || cacheRead < 0 || webSearch < 0) {
      throw new IllegalArgumentException(
          "token counts must not be negative: input=" + input + " output=" + output + " cacheWrite5m=" + cacheWrite5m
              + " cacheWrite1h=" + cacheWrite1h + " cacheRead=" + cacheRead + " webSearch=" + webSearch);
    }
    if (basis == Basis.PROMPT) {
      long prompt = Math.addExact(Math.addExact(input, cacheWrite5m), Math.addExact(cacheWrite1h, cacheRead));
      return prompt > threshold
          ? new TokenSums(0, input, 0, output, 0, cacheWrite5m, 0, cacheWrite1h, 0, cacheRead, webSearch, this)
          : new TokenSums(input, 0, output, 0, cacheWrite5m, 0, cacheWrite1h, 0, cacheRead, 0, webSearch, this);
    }
    return new TokenSums(
        lo(input), hi(input), lo(output), hi(output), lo(cacheWrite5m), hi(cacheWrite5m),
        lo(cacheWrite1h), hi(cacheWrite1h), lo(cacheRead), hi(cacheRead), webSearch, this);
  }

  /** Splits one request's (already de-duplicated) usage. */
  public TokenSums split(Usage usage) {
    return split(
        usage.input(), usage.output(), usage.cacheWrite5m(), usage.cacheWrite1h(), usage.cacheRead(), usage.webSearch());
  }

  private long lo(long n) {
    return Math.min(n, threshold);
  }

  private long hi(long n) {
    return Math.max(n - threshold, 0);
  }

  @Override
  public String toString() {
    return basis.key() + " at " + threshold;
  }
}
