package dev.loopwatch.daemon.pricing;

/** TEMPORARY stand-in with the agreed API; replaced by the pricing branch. */
public record TokenSums(
    long inputLo, long inputHi, long outputLo, long outputHi, long cacheWrite5mLo, long cacheWrite5mHi,
    long cacheWrite1hLo, long cacheWrite1hHi, long cacheReadLo, long cacheReadHi, long webSearch) {
  public static final long LONG_CONTEXT_THRESHOLD = 200_000;
  public static final TokenSums ZERO = new TokenSums(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  public static TokenSums ofRequest(long input, long output, long cw5, long cw1, long cacheRead, long webSearch, long threshold) {
    return new TokenSums(
        Math.min(input, threshold), Math.max(0, input - threshold),
        Math.min(output, threshold), Math.max(0, output - threshold),
        Math.min(cw5, threshold), Math.max(0, cw5 - threshold),
        Math.min(cw1, threshold), Math.max(0, cw1 - threshold),
        Math.min(cacheRead, threshold), Math.max(0, cacheRead - threshold), webSearch);
  }

  public TokenSums plus(TokenSums o) {
    return new TokenSums(inputLo + o.inputLo, inputHi + o.inputHi, outputLo + o.outputLo, outputHi + o.outputHi,
        cacheWrite5mLo + o.cacheWrite5mLo, cacheWrite5mHi + o.cacheWrite5mHi, cacheWrite1hLo + o.cacheWrite1hLo,
        cacheWrite1hHi + o.cacheWrite1hHi, cacheReadLo + o.cacheReadLo, cacheReadHi + o.cacheReadHi, webSearch + o.webSearch);
  }

  public TokenSums minus(TokenSums o) {
    return new TokenSums(inputLo - o.inputLo, inputHi - o.inputHi, outputLo - o.outputLo, outputHi - o.outputHi,
        cacheWrite5mLo - o.cacheWrite5mLo, cacheWrite5mHi - o.cacheWrite5mHi, cacheWrite1hLo - o.cacheWrite1hLo,
        cacheWrite1hHi - o.cacheWrite1hHi, cacheReadLo - o.cacheReadLo, cacheReadHi - o.cacheReadHi, webSearch - o.webSearch);
  }

  public long input() { return inputLo + inputHi; }
  public long output() { return outputLo + outputHi; }
  public long cacheWrite() { return cacheWrite5mLo + cacheWrite5mHi + cacheWrite1hLo + cacheWrite1hHi; }
  public long cacheRead() { return cacheReadLo + cacheReadHi; }
}
