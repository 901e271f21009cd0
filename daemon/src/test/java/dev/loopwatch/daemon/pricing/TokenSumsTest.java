package dev.loopwatch.daemon.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.event.Usage;
import org.junit.jupiter.api.Test;

class TokenSumsTest {
  private static final TierSplit HAIKU_55 = new TierSplit(100_000, TierSplit.Basis.PROMPT);

  @Test
  void eachTypeIsSplitOnItsOwnBelowAtAndAboveTheThreshold() {
    TokenSums t = TokenSums.ofRequest(199_999, 200_000, 200_001, 450_000, 0, 3, TokenSums.LONG_CONTEXT_THRESHOLD);
    assertEquals(new TokenSums(199_999, 0, 200_000, 0, 200_000, 1, 200_000, 250_000, 0, 0, 3), t);
    assertEquals(TierSplit.DEFAULT, t.split());
    assertEquals(199_999, t.input());
    assertEquals(200_000, t.output());
    assertEquals(200_001, t.cacheWrite5m());
    assertEquals(450_000, t.cacheWrite1h());
    assertEquals(650_001, t.cacheWrite());
    assertEquals(0, t.cacheRead());
    assertEquals(199_999 + 200_000 + 650_001, t.totalTokens());
    assertEquals(3, t.webSearch());
  }

  @Test
  void sumsOfSplitRequestsKeepEachRequestsTier() {
    // Two requests of 150k input: each below 200k, so their 300k sum is all lo; one of 300k is not.
    TokenSums two = TokenSums.ofRequest(150_000, 0, 0, 0, 0, 0, 200_000).plus(TokenSums.ofRequest(150_000, 0, 0, 0, 0, 0, 200_000));
    TokenSums one = TokenSums.ofRequest(300_000, 0, 0, 0, 0, 0, 200_000);
    assertEquals(300_000, two.inputLo());
    assertEquals(0, two.inputHi());
    assertEquals(200_000, one.inputLo());
    assertEquals(100_000, one.inputHi());
    assertEquals(two.input(), one.input());
  }

  @Test
  void minusUndoesPlusAndMayGoNegativeForDeltas() {
    TokenSums a = TokenSums.ofRequest(10, 20, 30, 40, 250_000, 1, 200_000);
    TokenSums b = TokenSums.ofRequest(1, 300_000, 3, 4, 5, 0, 200_000);
    assertEquals(a, a.plus(b).minus(b));
    assertEquals(TokenSums.ZERO, a.minus(a));
    TokenSums delta = b.minus(a);
    assertEquals(-9, delta.inputLo());
    assertEquals(-50_000, delta.cacheReadHi());
  }

  @Test
  void anotherThresholdPerType() {
    TokenSums t = TokenSums.ofRequest(150_000, 10, 0, 0, 0, 0, 100_000);
    assertEquals(new TierSplit(100_000, TierSplit.Basis.PER_TYPE), t.split());
    assertEquals(100_000, t.inputLo());
    assertEquals(50_000, t.inputHi());
    assertEquals(10, t.outputLo());
  }

  @Test
  void promptBasisMovesTheWholeRequestIncludingOutput() {
    // prompt = 40k input + 30k + 20k cache writes + 10k reads = 100,000: not over, all lo.
    TokenSums at = HAIKU_55.split(40_000, 5_000, 30_000, 20_000, 10_000, 1);
    assertEquals(new TokenSums(40_000, 0, 5_000, 0, 30_000, 0, 20_000, 0, 10_000, 0, 1, HAIKU_55), at);
    // One more cache-read token: every token of the request is hi.
    TokenSums over = HAIKU_55.split(40_000, 5_000, 30_000, 20_000, 10_001, 1);
    assertEquals(new TokenSums(0, 40_000, 0, 5_000, 0, 30_000, 0, 20_000, 0, 10_001, 1, HAIKU_55), over);
    // Output does not count toward the prompt.
    assertEquals(new TokenSums(1, 0, 900_000, 0, 0, 0, 0, 0, 0, 0, 0, HAIKU_55), HAIKU_55.split(1, 900_000, 0, 0, 0, 0));
  }

  @Test
  void sumsOfDifferentSplitsDoNotMixButZeroMixesWithAny() {
    TokenSums perType = TokenSums.ofRequest(1, 1, 1, 1, 1, 0, 200_000);
    TokenSums prompt = HAIKU_55.split(1, 1, 1, 1, 1, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> perType.plus(prompt));
    assertTrue(e.getMessage().contains("prompt at 100000"), e.getMessage());
    assertEquals(prompt, TokenSums.ZERO.plus(prompt));
    assertEquals(HAIKU_55, prompt.plus(TokenSums.ZERO).split());
    assertEquals(prompt, prompt.minus(TokenSums.ZERO));
  }

  @Test
  void requestsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> TokenSums.ofRequest(-1, 0, 0, 0, 0, 0, 200_000));
    assertThrows(IllegalArgumentException.class, () -> TokenSums.ofRequest(0, 0, 0, 0, 0, 0, 0));
    assertThrows(ArithmeticException.class, () -> new TokenSums(Long.MAX_VALUE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).plus(TokenSums.ofRequest(1, 0, 0, 0, 0, 0, 200_000)));
  }

  @Test
  void splitsTheEventUsageRecord() {
    assertEquals(
        TokenSums.ofRequest(1, 2, 3, 4, 300_000, 6, 200_000),
        TierSplit.DEFAULT.split(new Usage(1, 2, 3, 4, 300_000, 6)));
  }
}
