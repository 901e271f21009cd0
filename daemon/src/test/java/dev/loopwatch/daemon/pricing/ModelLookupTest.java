package dev.loopwatch.daemon.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelLookupTest {
  private final PriceTable table = Tables.shipped();

  private String id(String model) {
    return table.lookup(model).map(ModelPrice::id).orElse(null);
  }

  @Test
  void exactIdsAndAliases() {
    assertEquals("claude-opus-4-6", id("claude-opus-4-6"));
    assertEquals("claude-sonnet-4", id("claude-sonnet-4-20250514"));
    assertEquals("claude-sonnet-4-5", id("claude-sonnet-4-5-20250929"));
    assertEquals("claude-haiku-4-5", id("claude-haiku-4-5-20251001"));
    assertEquals("claude-3-7-sonnet", id("claude-3-7-sonnet-20250219"));
    assertEquals("claude-3-haiku", id("claude-3-haiku-20240307"));
    assertEquals("claude-opus-4-1", id("claude-opus-4-1-20250805"));
    assertEquals("claude-opus-4", id("claude-opus-4-0"));
    assertEquals("claude-3-5-haiku", id("claude-3-5-haiku-latest"));
  }

  @Test
  void aTrailingDateIsDropped() {
    assertEquals("claude-opus-5", id("claude-opus-5-20260724"));
    assertEquals("claude-sonnet-4-6", id("claude-sonnet-4-6-20260217"));
    assertEquals("claude-fable-5-1", id("claude-fable-5-1-20261001"));
    assertEquals("claude-haiku-5-5", id("claude-haiku-5-5-20261007"));
  }

  @Test
  void theLongestPrefixAtABoundaryWins() {
    assertEquals("claude-opus-4-6", id("claude-opus-4-6[1m]"));
    assertEquals("claude-opus-4-6", id("claude-opus-4-6-fast"));
    assertEquals("claude-sonnet-4-5", id("claude-sonnet-4-5-20250929-v1:0"));
    assertEquals("claude-opus-4", id("claude-opus-4-20250514-v2"));
  }

  @Test
  void aPrefixNeverSwallowsAnotherVersion() {
    // Pricing an unknown Opus 4.9 at Opus 4's $15/$75 would be silently wrong; unknown is reported.
    assertEquals(null, id("claude-opus-4-9"));
    assertEquals(null, id("claude-opus-4-10"));
    assertEquals(null, id("claude-opus-4-1-1"));
    assertEquals(null, id("claude-sonnet-6"));
    assertEquals(null, id("claude-opus-4-6x"));
    assertTrue(ModelLookup.prefixMatches("claude-opus-4-20250514", "claude-opus-4"));
    assertFalse(ModelLookup.prefixMatches("claude-opus-4-202505145", "claude-opus-4"));
  }

  @Test
  void providerSpellingsAreNormalized() {
    assertEquals("claude-opus-4-6", id("anthropic/claude-opus-4.6"));
    assertEquals("claude-opus-4-6", id("Claude-Opus-4-6"));
    assertEquals("claude-sonnet-4-5", id("claude-sonnet-4-5@20250929"));
    assertEquals("claude-haiku-4-5", id("us.anthropic.claude-haiku-4-5-20251001-v1:0"));
    assertEquals("claude-3-5-haiku", id("claude-3.5-haiku"));
  }

  @Test
  void unknownModelsAreEmpty() {
    assertEquals(Optional.empty(), table.lookup("gpt-5"));
    assertEquals(Optional.empty(), table.lookup("claude"));
    assertEquals(Optional.empty(), table.lookup(""));
    assertEquals(Optional.empty(), table.lookup(null));
    assertEquals(TierSplit.DEFAULT, table.splitFor("gpt-5"));
  }

  @Test
  void syntheticIsFreeNotUnknown() {
    ModelPrice p = table.lookup("<synthetic>").orElseThrow();
    assertEquals(0, p.base().input().compareTo(BigDecimal.ZERO));
    assertEquals(0, p.base().output().compareTo(BigDecimal.ZERO));
    assertEquals(null, p.tier());
  }

  @Test
  void splitForFollowsTheModelsTier() {
    assertEquals(new TierSplit(100_000, TierSplit.Basis.PROMPT), table.splitFor("claude-haiku-5-5"));
    assertEquals(TierSplit.DEFAULT, table.splitFor("claude-sonnet-4-20250514"));
    assertEquals(TierSplit.DEFAULT, table.splitFor("claude-opus-4-6"));
  }
}
