package dev.loopwatch.daemon.event;

/**
 * Raw token counts of one API request. Tokens are stored raw and priced at query time, so a price fix
 * re-prices history. {@code cacheWrite5m}/{@code cacheWrite1h} split cache creation by TTL; when a source
 * has no breakdown, all creation tokens count as 5-minute writes (as ccusage does).
 */
public record Usage(
    long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead, long webSearch) {

  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0);

  public Usage {
    if (input < 0 || output < 0 || cacheWrite5m < 0 || cacheWrite1h < 0 || cacheRead < 0 || webSearch < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
  }

  public long cacheWrite() {
    return cacheWrite5m + cacheWrite1h;
  }

  public long totalTokens() {
    return input + output + cacheWrite5m + cacheWrite1h + cacheRead;
  }

  /** The field-wise maximum: how repeated copies of one request's usage are merged. */
  public Usage max(Usage other) {
    return new Usage(
        Math.max(input, other.input),
        Math.max(output, other.output),
        Math.max(cacheWrite5m, other.cacheWrite5m),
        Math.max(cacheWrite1h, other.cacheWrite1h),
        Math.max(cacheRead, other.cacheRead),
        Math.max(webSearch, other.webSearch));
  }
}
