package dev.loopwatch.daemon.pricing;

/**
 * Token counts of any number of requests of one model, each type divided into the part billed at
 * base rates (lo) and the part billed at the model's long-context tier (hi). Every request is split
 * on its own before it is added ({@link #ofRequest}, {@link TierSplit#split}), so sums of many
 * requests stay exact for tiered pricing; a plain sum could not be split afterwards.
 *
 * <p>{@code split} records which rule divided the tokens: the store splits a model's requests with
 * {@link PriceTable#splitFor}(model), which is {@link TierSplit#DEFAULT} (per type at 200,000) for
 * every model but those with another tier (Haiku 5.5: by prompt at 100,000). The cost calculator
 * refuses sums whose split is not the one the model's tier needs instead of mispricing them.
 *
 * <p>Components may be negative in a difference ({@link #minus}), e.g. the delta when a request's
 * repeated copy grows; costs are linear, so pricing a delta is exact too.
 */
public record TokenSums(
    long inputLo,
    long inputHi,
    long outputLo,
    long outputHi,
    long cacheWrite5mLo,
    long cacheWrite5mHi,
    long cacheWrite1hLo,
    long cacheWrite1hHi,
    long cacheReadLo,
    long cacheReadHi,
    long webSearch,
    TierSplit split) {

  /** ccusage's long-context threshold, applied per token type per request. */
  public static final long LONG_CONTEXT_THRESHOLD = 200_000;

  public static final TokenSums ZERO = new TokenSums(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  public TokenSums {
    if (split == null) {
      throw new IllegalArgumentException("split is required");
    }
  }

  /** Sums split per type at {@link #LONG_CONTEXT_THRESHOLD} ({@link TierSplit#DEFAULT}). */
  public TokenSums(
      long inputLo, long inputHi, long outputLo, long outputHi, long cacheWrite5mLo, long cacheWrite5mHi,
      long cacheWrite1hLo, long cacheWrite1hHi, long cacheReadLo, long cacheReadHi, long webSearch) {
    this(
        inputLo, inputHi, outputLo, outputHi, cacheWrite5mLo, cacheWrite5mHi, cacheWrite1hLo, cacheWrite1hHi,
        cacheReadLo, cacheReadHi, webSearch, TierSplit.DEFAULT);
  }

  /**
   * One request, each token type split on its own at {@code threshold} (ccusage's rule): {@code
   * min(n, threshold)} is lo, the rest hi.
   */
  public static TokenSums ofRequest(
      long input, long output, long cw5, long cw1, long cacheRead, long webSearch, long threshold) {
    TierSplit split =
        threshold == LONG_CONTEXT_THRESHOLD ? TierSplit.DEFAULT : new TierSplit(threshold, TierSplit.Basis.PER_TYPE);
    return split.split(input, output, cw5, cw1, cacheRead, webSearch);
  }

  public TokenSums plus(TokenSums o) {
    return new TokenSums(
        Math.addExact(inputLo, o.inputLo),
        Math.addExact(inputHi, o.inputHi),
        Math.addExact(outputLo, o.outputLo),
        Math.addExact(outputHi, o.outputHi),
        Math.addExact(cacheWrite5mLo, o.cacheWrite5mLo),
        Math.addExact(cacheWrite5mHi, o.cacheWrite5mHi),
        Math.addExact(cacheWrite1hLo, o.cacheWrite1hLo),
        Math.addExact(cacheWrite1hHi, o.cacheWrite1hHi),
        Math.addExact(cacheReadLo, o.cacheReadLo),
        Math.addExact(cacheReadHi, o.cacheReadHi),
        Math.addExact(webSearch, o.webSearch),
        commonSplit(o, "add"));
  }

  public TokenSums minus(TokenSums o) {
    return new TokenSums(
        Math.subtractExact(inputLo, o.inputLo),
        Math.subtractExact(inputHi, o.inputHi),
        Math.subtractExact(outputLo, o.outputLo),
        Math.subtractExact(outputHi, o.outputHi),
        Math.subtractExact(cacheWrite5mLo, o.cacheWrite5mLo),
        Math.subtractExact(cacheWrite5mHi, o.cacheWrite5mHi),
        Math.subtractExact(cacheWrite1hLo, o.cacheWrite1hLo),
        Math.subtractExact(cacheWrite1hHi, o.cacheWrite1hHi),
        Math.subtractExact(cacheReadLo, o.cacheReadLo),
        Math.subtractExact(cacheReadHi, o.cacheReadHi),
        Math.subtractExact(webSearch, o.webSearch),
        commonSplit(o, "subtract"));
  }

  public long input() {
    return inputLo + inputHi;
  }

  public long output() {
    return outputLo + outputHi;
  }

  public long cacheWrite5m() {
    return cacheWrite5mLo + cacheWrite5mHi;
  }

  public long cacheWrite1h() {
    return cacheWrite1hLo + cacheWrite1hHi;
  }

  /** All cache-creation tokens, as ccusage's {@code cacheCreationTokens} column counts them. */
  public long cacheWrite() {
    return cacheWrite5m() + cacheWrite1h();
  }

  public long cacheRead() {
    return cacheReadLo + cacheReadHi;
  }

  /** input + output + cache writes + cache reads (web searches are requests, not tokens). */
  public long totalTokens() {
    return input() + output() + cacheWrite() + cacheRead();
  }

  /** Nothing counted at all: such sums mix with sums of any split. */
  public boolean isZero() {
    return inputLo == 0 && inputHi == 0 && outputLo == 0 && outputHi == 0 && cacheWrite5mLo == 0
        && cacheWrite5mHi == 0 && cacheWrite1hLo == 0 && cacheWrite1hHi == 0 && cacheReadLo == 0
        && cacheReadHi == 0 && webSearch == 0;
  }

  private TierSplit commonSplit(TokenSums o, String verb) {
    if (split.equals(o.split) || o.isZero()) {
      return split;
    }
    if (isZero()) {
      return o.split;
    }
    throw new IllegalArgumentException(
        "cannot " + verb + " token sums split " + o.split + " and " + split + ": re-split the requests with one rule");
  }
}
