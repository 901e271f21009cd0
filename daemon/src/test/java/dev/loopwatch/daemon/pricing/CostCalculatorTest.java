package dev.loopwatch.daemon.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {
  private final PriceTable table = Tables.shipped();
  private final CostCalculator calc = new CostCalculator(table);

  /** One request as ccusage reads it: the cache_creation breakdown, or null to put every write at the 5m rate. */
  record Request(long input, long output, long cacheCreation, Long cw5, Long cw1, long cacheRead) {
    static Request of(long input, long output, long cw5, long cw1, long cacheRead) {
      return new Request(input, output, cw5 + cw1, cw5, cw1, cacheRead);
    }

    long five() {
      return cw5 != null ? cw5 : cacheCreation;
    }

    long hour() {
      return cw1 != null ? cw1 : 0;
    }

    TokenSums sums(TierSplit split) {
      return split.split(input, output, five(), hour(), cacheRead, 0);
    }
  }

  /** ccusage 20 cost.rs {@code tiered_cost}, in exact decimals (rates per million). */
  private static BigDecimal tiered(long tokens, BigDecimal base, BigDecimal above) {
    long threshold = 200_000;
    if (above != null && tokens > threshold) {
      return base.multiply(BigDecimal.valueOf(threshold)).add(above.multiply(BigDecimal.valueOf(tokens - threshold)));
    }
    return base.multiply(BigDecimal.valueOf(tokens));
  }

  /** ccusage 20 cost.rs {@code calculate_cost_from_tokens} for one request. */
  private static BigDecimal ccusage(ModelPrice p, boolean fast, Request r) {
    Rates b = p.base();
    Rates a = p.tier() == null ? null : p.tier().rates();
    BigDecimal twoIn = b.input().multiply(BigDecimal.valueOf(2));
    BigDecimal twoInAbove = a == null ? null : a.input().multiply(BigDecimal.valueOf(2));
    BigDecimal sum =
        tiered(r.input(), b.input(), a == null ? null : a.input())
            .add(tiered(r.output(), b.output(), a == null ? null : a.output()))
            .add(tiered(r.five(), b.cacheWrite5m(), a == null ? null : a.cacheWrite5m()))
            .add(tiered(r.hour(), twoIn, twoInAbove))
            .add(tiered(r.cacheRead(), b.cacheRead(), a == null ? null : a.cacheRead()));
    return (fast ? sum.multiply(p.fastMultiplier()) : sum).movePointLeft(6);
  }

  private static void assertCost(String expected, BigDecimal actual) {
    assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + ", got " + actual.toPlainString());
  }

  private BigDecimal cost(String model, String speed, Request r) {
    return calc.cost(model, speed, r.sums(table.splitFor(model)));
  }

  @Test
  void tierMathEqualsCcusagesPerTypeRuleBelowAtAndAboveTheThreshold() {
    long[] counts = {0, 1, 199_999, 200_000, 200_001, 350_000, 1_000_000};
    for (String model : List.of("claude-sonnet-4-20250514", "claude-sonnet-4-5", "claude-opus-4-6", "claude-haiku-4-5")) {
      ModelPrice p = table.lookup(model).orElseThrow();
      for (long n : counts) {
        // each type alone, so a wrong rate on any one type shows
        List<Request> requests =
            List.of(
                Request.of(n, 0, 0, 0, 0), Request.of(0, n, 0, 0, 0), Request.of(0, 0, n, 0, 0),
                Request.of(0, 0, 0, n, 0), Request.of(0, 0, 0, 0, n), Request.of(n, 7, n / 2, 3, n + 1),
                new Request(3, 5, n, null, null, 11));
        for (Request r : requests) {
          for (boolean fast : new boolean[] {false, true}) {
            assertEquals(
                0,
                ccusage(p, fast, r).compareTo(cost(model, fast ? "fast" : "standard", r)),
                model + " " + r + " fast=" + fast);
          }
        }
      }
    }
  }

  @Test
  void sumsOfSplitRequestsCostWhatTheRequestsCostOneByOne() {
    String model = "claude-sonnet-4-5-20250929";
    ModelPrice p = table.lookup(model).orElseThrow();
    List<Request> requests =
        List.of(Request.of(150_000, 2_000, 0, 190_000, 180_000), Request.of(250_000, 210_000, 5, 230_000, 420_000),
            new Request(1, 1, 300_000, null, null, 1));
    TokenSums sums = TokenSums.ZERO;
    BigDecimal oneByOne = BigDecimal.ZERO;
    for (Request r : requests) {
      sums = sums.plus(r.sums(TierSplit.DEFAULT));
      oneByOne = oneByOne.add(ccusage(p, false, r));
    }
    assertEquals(0, oneByOne.compareTo(calc.cost(model, null, sums)));
  }

  /**
   * reference §5.3: ccusage 20.0.24 offline, "a synthetic 1M-of-each line". The quoted numbers need a
   * 1h write too: opus-4-8 = 5 input + 25 output + 6.25 (5m) + 10 (1h) + 0.50 read = 46.75 (without the
   * 1h write it would be 36.75). So the line is input 1M, output 1M, cache_creation {5m: 1M, 1h: 1M},
   * cache read 1M. The other values were measured by running ccusage 20.0.24 --offline on such lines.
   */
  @Test
  void aSynthetic1MOfEachLineCostsWhatCcusagePrints() {
    Request line = Request.of(1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000);
    Map<String, String> ccusage =
        Map.ofEntries(
            Map.entry("claude-opus-4-8", "46.75"),
            Map.entry("claude-opus-5", "46.75"),
            Map.entry("claude-sonnet-5", "18.70"),
            Map.entry("claude-fable-5", "93.50"),
            Map.entry("claude-fable-5-1", "92.75"),
            Map.entry("claude-mythos-5", "93.50"),
            Map.entry("claude-mythos-5-1", "92.75"),
            Map.entry("claude-sonnet-4-6", "28.05"),
            Map.entry("claude-opus-4-7", "46.75"),
            Map.entry("claude-opus-4-6", "46.75"),
            Map.entry("claude-opus-4-6-20260205", "46.75"),
            Map.entry("claude-opus-4-5-20251101", "46.75"),
            Map.entry("claude-opus-4-1-20250805", "140.25"),
            Map.entry("claude-opus-4-20250514", "140.25"),
            Map.entry("claude-3-opus-20240229", "140.25"),
            // Sonnet 4/4.5 cross the 200k tier on every type: 5.40 + 21 + 6.75 + 10.80 + 0.54
            Map.entry("claude-sonnet-4-20250514", "44.49"),
            Map.entry("claude-sonnet-4-5-20250929", "44.49"),
            Map.entry("claude-sonnet-4-5", "44.49"),
            Map.entry("claude-3-7-sonnet-20250219", "28.05"),
            Map.entry("claude-3-5-sonnet-20241022", "28.05"),
            Map.entry("claude-3-sonnet-20240229", "28.05"),
            Map.entry("claude-haiku-4-5-20251001", "9.35"),
            Map.entry("claude-haiku-4-5", "9.35"),
            Map.entry("claude-3-5-haiku-20241022", "7.48"),
            Map.entry("claude-3-haiku-20240307", "2.33"));
    ccusage.forEach((model, usd) -> assertCost(usd, cost(model, null, line)));
  }

  /** ccusage 20.0.24 prices these at $0 (unknown to it); ours follow the official pages. */
  @Test
  void modelsCcusageDoesNotKnowFollowTheOfficialRates() {
    Request line = Request.of(1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000);
    assertCost("37.20", cost("claude-opus-5-5", null, line)); // 4 + 20 + 5 + 8 + 0.20
    assertCost("18.70", cost("claude-sonnet-5-5", null, line)); // 2 + 10 + 2.50 + 4 + 0.20
    // Haiku 5.5: a 4M-token prompt is over 100k, so every token is at 5x: 0.50 + 2.50 + 0.625 + 1 + 0.05
    assertCost("4.675", cost("claude-haiku-5-5", null, line));
  }

  @Test
  void haiku55IsPricedByPromptLengthPerRequest() {
    String model = "claude-haiku-5-5";
    // prompt 100,000 exactly: base rates. 60k input x 0.10 + 40k read x 0.01 + 2k output x 0.50
    Request small = Request.of(60_000, 2_000, 0, 0, 40_000);
    assertCost("0.0074", cost(model, null, small));
    // prompt 100,001: everything at the tier, output included. 60,001 x 0.50 + 40k x 0.05 + 2k x 2.50
    Request big = Request.of(60_001, 2_000, 0, 0, 40_000);
    assertCost("0.0370005", cost(model, null, big));
    // Summed with the model's split, the sum prices exactly like the two requests.
    TierSplit split = table.splitFor(model);
    assertCost("0.0444005", calc.cost(model, null, small.sums(split).plus(big.sums(split))));
    // Sums split per type at 200k cannot be priced for it (that would bill both requests at base rates).
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> calc.cost(model, null, small.sums(TierSplit.DEFAULT)));
    assertTrue(e.getMessage().contains("claude-haiku-5-5 must be summed split prompt at 100000"), e.getMessage());
    // Untiered models take sums of any split: all their tokens cost the base rates.
    assertCost("0.074", calc.cost("claude-haiku-4-5", null, small.sums(split))); // 60k x 1 + 2k x 5 + 40k x 0.1
  }

  /** Measured with ccusage 20.0.24 --offline: 1M input tokens with usage.speed "fast". */
  @Test
  void fastModeMultipliesTheWholeCost() {
    Request input = Request.of(1_000_000, 0, 0, 0, 0);
    Map<String, String> ccusage =
        Map.of(
            "claude-opus-4-6", "30", "claude-opus-4-6-20260205", "30", "claude-opus-4-7", "30",
            "claude-opus-4-8", "10", "claude-opus-5", "10", "claude-fable-5", "10", "claude-opus-4-5", "5",
            "claude-sonnet-4-6", "3", "claude-haiku-4-5-20251001", "1",
            "claude-sonnet-4-20250514", "5.40"); // no multiplier, but the 200k tier
    ccusage.forEach((model, usd) -> assertCost(usd, cost(model, "fast", input)));
    assertCost("5", cost("claude-opus-4-6", "standard", input));
    assertCost("5", cost("claude-opus-4-6", null, input));
    // every token type is multiplied: opus-4-6, 1M of each at 6x = 46.75 x 6
    assertCost("280.50", cost("claude-opus-4-6", "fast", Request.of(1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000)));
  }

  /** More ccusage 20.0.24 --offline measurements around the threshold. */
  @Test
  void requestsAroundTheThresholdCostWhatCcusagePrints() {
    // 200,001 input, 200,000 output, 250,000 1h writes, 300,000 reads
    assertCost("5.520006", cost("claude-sonnet-4-20250514", null, Request.of(200_001, 200_000, 0, 250_000, 300_000)));
    // no cache_creation breakdown: all 300,000 creation tokens at the 5m rate (tiered)
    assertCost("1.500342", cost("claude-sonnet-4-20250514", null, new Request(10, 20, 300_000, null, null, 40)));
  }

  @Test
  void unknownModelsAreListedNeverSilentlyZero() {
    TokenSums some = TokenSums.ofRequest(1_000_000, 0, 0, 0, 0, 0, 200_000);
    Priced priced =
        calc.price(
            List.of(
                new ModelUsage("claude-opus-4-6", "standard", some),
                new ModelUsage("claude-opus-4-6", "fast", some),
                new ModelUsage("gpt-5", null, some),
                new ModelUsage("claude-opus-4-9", null, some),
                new ModelUsage("<synthetic>", null, some),
                new ModelUsage("never-used", null, TokenSums.ZERO),
                new ModelUsage(null, null, some)));
    assertCost("35", priced.total()); // 5 + 30; the rest $0
    assertEquals(Set.of("gpt-5", "claude-opus-4-9", Priced.NO_MODEL), priced.unknownModels());
    assertTrue(!priced.complete());
    assertCost("35", priced.byModel().get("claude-opus-4-6"));
    assertCost("0", priced.byModel().get("<synthetic>"));
    assertCost("0", priced.byModel().get("gpt-5"));
    assertCost("0", calc.cost("gpt-5", null, some));
    assertTrue(calc.price(List.of(new ModelUsage("claude-opus-4-6", null, some))).complete());
  }

  @Test
  void webSearchesCostTheirOverrideRate() throws Exception {
    PriceTable t =
        PriceTable.fromYaml(
            "version: 1\nupdated: 2026-11-23\nmodels:\n  m: { input: 1, output: 1, webSearchPer1k: 10, fastMultiplier: 2 }\n",
            null);
    TokenSums searches = TokenSums.ofRequest(0, 0, 0, 0, 0, 3, 200_000);
    assertCost("0.03", new CostCalculator(t).cost("m", "fast", searches)); // per request, not multiplied by fast
    assertCost("0", calc.cost("claude-opus-4-6", null, searches)); // the shipped table, like ccusage, does not price them
  }
}
