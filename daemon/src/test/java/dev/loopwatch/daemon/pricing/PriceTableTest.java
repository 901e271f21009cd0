package dev.loopwatch.daemon.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.config.ConfigException;
import dev.loopwatch.daemon.config.Environment;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {
  @TempDir Path tmp;

  private static final String MINI =
      """
      version: 3
      updated: 2026-01-02
      models:
        claude-opus-4-6:
          input: 5
          output: 25
          aliases: [claude-opus-4-6-20260205]
        claude-sonnet-4:
          input: 3
          output: 15
          aliases: [claude-sonnet-4-20250514, claude-sonnet-4-0]
      """;

  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  private static void assertRates(Rates r, String in, String out, String cw5, String cw1, String read) {
    assertEquals(0, r.input().compareTo(d(in)), "input " + r);
    assertEquals(0, r.output().compareTo(d(out)), "output " + r);
    assertEquals(0, r.cacheWrite5m().compareTo(d(cw5)), "cacheWrite5m " + r);
    assertEquals(0, r.cacheWrite1h().compareTo(d(cw1)), "cacheWrite1h " + r);
    assertEquals(0, r.cacheRead().compareTo(d(read)), "cacheRead " + r);
  }

  private static List<String> problems(String builtin, String user) {
    ConfigException e = assertThrows(ConfigException.class, () -> PriceTable.fromYaml(builtin, user));
    return e.problems();
  }

  @Test
  void theShippedTableHasEveryCurrentModelAtTheOfficialRates() {
    PriceTable t = Tables.shipped();
    assertTrue(t.version() >= 1);
    assertNotNull(t.updated());
    // reference §5.1: input, 5m write, 1h write, read, output
    Map<String, String[]> official =
        Map.ofEntries(
            Map.entry("claude-fable-5-1", new String[] {"10", "12.50", "20", "0.25", "50"}),
            Map.entry("claude-mythos-5-1", new String[] {"10", "12.50", "20", "0.25", "50"}),
            Map.entry("claude-fable-5", new String[] {"10", "12.50", "20", "1.00", "50"}),
            Map.entry("claude-mythos-5", new String[] {"10", "12.50", "20", "1.00", "50"}),
            Map.entry("claude-opus-5-5", new String[] {"4", "5", "8", "0.20", "20"}),
            Map.entry("claude-opus-5", new String[] {"5", "6.25", "10", "0.50", "25"}),
            Map.entry("claude-opus-4-8", new String[] {"5", "6.25", "10", "0.50", "25"}),
            Map.entry("claude-opus-4-7", new String[] {"5", "6.25", "10", "0.50", "25"}),
            Map.entry("claude-opus-4-6", new String[] {"5", "6.25", "10", "0.50", "25"}),
            Map.entry("claude-opus-4-5-20251101", new String[] {"5", "6.25", "10", "0.50", "25"}),
            Map.entry("claude-opus-4-1-20250805", new String[] {"15", "18.75", "30", "1.50", "75"}),
            Map.entry("claude-opus-4-20250514", new String[] {"15", "18.75", "30", "1.50", "75"}),
            Map.entry("claude-3-opus-20240229", new String[] {"15", "18.75", "30", "1.50", "75"}),
            Map.entry("claude-sonnet-5-5", new String[] {"2", "2.50", "4", "0.20", "10"}),
            Map.entry("claude-sonnet-5", new String[] {"2", "2.50", "4", "0.20", "10"}),
            Map.entry("claude-sonnet-4-6", new String[] {"3", "3.75", "6", "0.30", "15"}),
            Map.entry("claude-sonnet-4-5-20250929", new String[] {"3", "3.75", "6", "0.30", "15"}),
            Map.entry("claude-sonnet-4-20250514", new String[] {"3", "3.75", "6", "0.30", "15"}),
            Map.entry("claude-3-7-sonnet-20250219", new String[] {"3", "3.75", "6", "0.30", "15"}),
            Map.entry("claude-haiku-5-5", new String[] {"0.10", "0.125", "0.20", "0.01", "0.50"}),
            Map.entry("claude-haiku-4-5-20251001", new String[] {"1", "1.25", "2", "0.10", "5"}),
            Map.entry("claude-3-5-haiku-20241022", new String[] {"0.80", "1", "1.6", "0.08", "4"}),
            Map.entry("claude-3-haiku-20240307", new String[] {"0.25", "0.30", "0.50", "0.03", "1.25"}));
    official.forEach(
        (model, r) -> {
          ModelPrice p = t.lookup(model).orElseThrow(() -> new AssertionError("no price for " + model));
          assertRates(p.base(), r[0], r[4], r[1], r[2], r[3]);
        });
    // 1h writes are 2 x input everywhere, as ccusage computes them.
    for (ModelPrice p : t.models()) {
      assertEquals(0, p.base().cacheWrite1h().compareTo(p.base().input().multiply(BigDecimal.valueOf(2))), p.id());
      if (p.tier() != null) {
        assertEquals(0, p.tier().rates().cacheWrite1h().compareTo(p.tier().rates().input().multiply(BigDecimal.valueOf(2))), p.id());
      }
    }
  }

  @Test
  void theShippedTiersAndFastMultipliersAreCcusages() {
    PriceTable t = Tables.shipped();
    for (String sonnet : List.of("claude-sonnet-4", "claude-sonnet-4-5")) {
      ModelPrice p = t.lookup(sonnet).orElseThrow();
      assertEquals(TierSplit.DEFAULT, p.tier().split());
      assertRates(p.tier().rates(), "6", "22.5", "7.5", "12", "0.6");
    }
    ModelPrice haiku = t.lookup("claude-haiku-5-5").orElseThrow();
    assertEquals(new TierSplit(100_000, TierSplit.Basis.PROMPT), haiku.tier().split());
    assertRates(haiku.tier().rates(), "0.50", "2.50", "0.625", "1.00", "0.05");
    for (String untiered : List.of("claude-opus-4-6", "claude-sonnet-4-6", "claude-sonnet-5", "claude-fable-5-1", "claude-opus-4-8")) {
      assertNull(t.lookup(untiered).orElseThrow().tier(), untiered);
    }
    Map<String, String> fast =
        Map.of("claude-opus-4-6", "6", "claude-opus-4-7", "6", "claude-opus-4-8", "2", "claude-opus-5", "2",
            "claude-fable-5", "1", "claude-sonnet-4-6", "1", "claude-haiku-4-5", "1");
    fast.forEach((m, x) -> assertEquals(0, t.lookup(m).orElseThrow().fastMultiplier().compareTo(d(x)), m));
  }

  @Test
  void loadsTheBuiltInTableFromTheClasspath() throws Exception {
    // What the daemon jar does once the POM packages config/pricing.yaml (no copy in src/main/resources).
    try (URLClassLoader loader = new URLClassLoader(new URL[] {Tables.repo().resolve("config").toUri().toURL()}, null)) {
      PriceTable fromResource = PriceTable.load(null, null, loader);
      assertEquals(Tables.shipped().version(), fromResource.version());
      assertEquals(Tables.shipped().models().size(), fromResource.models().size());
    }
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      ConfigException e = assertThrows(ConfigException.class, () -> PriceTable.load(null, null, empty));
      assertEquals(List.of("not on the classpath: the daemon jar must package config/pricing.yaml"), e.problems());
    }
  }

  @Test
  void aPackagedResourceIsTheRepositorysFile() throws Exception {
    Assumptions.assumeTrue(
        PriceTable.class.getClassLoader().getResource(PriceTable.RESOURCE) != null,
        "pricing.yaml is not on the test classpath yet (needs the daemon POM's <resources> entry)");
    try (var in = PriceTable.class.getClassLoader().getResourceAsStream(PriceTable.RESOURCE)) {
      assertEquals(Files.readString(Tables.shippedFile()), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    assertEquals(Tables.shipped().models().size(), PriceTable.load(null, null).models().size());
  }

  @Test
  void overrideEntriesReplaceOrAddModels() throws Exception {
    PriceTable t =
        PriceTable.fromYaml(
            MINI,
            """
            models:
              claude-opus-4-6:
                input: 4
                output: 20
                fastMultiplier: 3
              my-model-1:
                name: My model
                input: 1.5
                output: 2
                aliases: [my-model-latest]
            """);
    ModelPrice opus = t.lookup("claude-opus-4-6-20260205").orElseThrow();
    assertEquals("claude-opus-4-6", opus.id());
    assertRates(opus.base(), "4", "20", "5.00", "8", "0.40"); // cache rates default to multiples of input
    assertEquals(0, opus.fastMultiplier().compareTo(d("3")));
    assertEquals(List.of("claude-opus-4-6-20260205"), opus.aliases()); // kept: the override lists none
    assertEquals("My model", t.lookup("my-model-latest").orElseThrow().name());
    assertEquals(3, t.models().size());
    assertEquals(3, t.version());
    assertEquals(LocalDate.of(2026, 1, 2), t.updated());
  }

  @Test
  void anOverrideThatNamesABuiltInAliasTakesIt() throws Exception {
    PriceTable t =
        PriceTable.fromYaml(
            MINI,
            """
            models:
              claude-sonnet-4-20250514: { input: 2, output: 10 }
              other: { input: 1, output: 1, aliases: [claude-sonnet-4-0] }
            """);
    assertEquals("claude-sonnet-4-20250514", t.lookup("claude-sonnet-4-20250514").orElseThrow().id());
    assertEquals("other", t.lookup("claude-sonnet-4-0").orElseThrow().id());
    assertEquals(List.of(), t.lookup("claude-sonnet-4").orElseThrow().aliases());
  }

  @Test
  void overrideFilesAreOptionalButReadWhenPresent() throws Exception {
    Path builtin = tmp.resolve("builtin.yaml");
    Files.writeString(builtin, MINI);
    assertEquals(2, PriceTable.load(builtin, tmp.resolve("absent.yaml")).models().size());
    Path user = tmp.resolve("user.yaml");
    Files.writeString(user, "models:\n  claude-opus-4-6: { input: x, output: 25 }\n");
    ConfigException e = assertThrows(ConfigException.class, () -> PriceTable.load(builtin, user));
    assertEquals(List.of("models.claude-opus-4-6.input: expected a non-negative number, got 'x'"), e.problems());
    assertTrue(e.getMessage().contains(user.toString()), e.getMessage());
    ConfigException missing = assertThrows(ConfigException.class, () -> PriceTable.load(tmp.resolve("nope.yaml"), null));
    assertEquals(List.of("file does not exist"), missing.problems());
  }

  @Test
  void theDefaultOverrideFileFollowsXdg() {
    Environment env = Environment.from(Map.of("HOME", "/home/u", "XDG_CONFIG_HOME", "/cfg"), "/x");
    assertEquals(Path.of("/cfg/loopwatch/pricing.yaml"), PriceTable.defaultOverrideFile(env));
    assertEquals(
        Path.of("/home/u/.config/loopwatch/pricing.yaml"),
        PriceTable.defaultOverrideFile(Environment.from(Map.of("HOME", "/home/u"), "/x")));
  }

  @Test
  void everyProblemNamesItsKey() {
    List<String> p =
        problems(
            MINI,
            """
            version: two
            colour: blue
            models:
              claude-opus-4-6:
                input: -1
                output: x
                cacheRead: "0.3"
                fastMultiplier: 0
                webSearchPer1k: [1]
                speed: fast
                aliases: [claude-opus-4-6, "a b", ok, ok]
              claude-sonnet-4:
                input: 3
                above: { input: 6, basis: whole, threshold: 1.5 }
              claude-haiku-4-5: 7
              <synthetic>: { input: 0, output: 0 }
            """);
    assertEquals(
        List.of(
            "version: expected a whole number, got 'two'",
            "colour: unknown key (known here: version, updated, models)",
            "models.claude-opus-4-6.input: expected a non-negative number, got -1",
            "models.claude-opus-4-6.output: expected a non-negative number, got 'x'",
            "models.claude-opus-4-6.cacheRead: expected a non-negative number, got '0.3'",
            "models.claude-opus-4-6.fastMultiplier: expected a positive number, got 0",
            "models.claude-opus-4-6.webSearchPer1k: expected a non-negative number, got a list",
            "models.claude-opus-4-6.aliases[1]: expected a model id (no spaces), got 'a b'",
            "models.claude-opus-4-6.aliases[0]: 'claude-opus-4-6' is the model's own id",
            "models.claude-opus-4-6.aliases[2]: 'ok' is listed twice",
            "models.claude-opus-4-6.speed: unknown key (known here: name, input, output, cacheWrite5m, cacheWrite1h,"
                + " cacheRead, above, fastMultiplier, webSearchPer1k, aliases)",
            "models.claude-sonnet-4.output: missing; expected a non-negative number",
            "models.claude-sonnet-4.above.threshold: expected a whole number, got 1.5",
            "models.claude-sonnet-4.above.basis: expected perType or prompt, got 'whole'",
            "models.claude-sonnet-4.above.output: missing; expected a non-negative number",
            "models.claude-haiku-4-5: expected a mapping of keys, got 7",
            "models.<synthetic>: reserved: Claude Code's own <synthetic> messages are always free"),
        p);
  }

  @Test
  void aliasesMustNotCollide() {
    assertEquals(
        List.of("models.other.aliases[0]: 'claude-opus-4-6' is a model id of its own; to re-price it, give it an entry"),
        problems(MINI, "models:\n  other: { input: 1, output: 1, aliases: [claude-opus-4-6] }\n"));
    assertEquals(
        List.of("models.b.aliases[0]: 'x' is already an alias of a"),
        problems(MINI, "models:\n  a: { input: 1, output: 1, aliases: [x] }\n  b: { input: 1, output: 1, aliases: [x] }\n"));
  }

  @Test
  void theBuiltInTableMustBeComplete() {
    assertEquals(
        List.of(
            "version: missing; expected a whole number",
            "updated: missing; expected a date like 2026-11-23",
            "models: missing; expected a mapping from model id to its price"),
        problems("models: {}\n", null));
    assertEquals(
        List.of("updated: expected a date like 2026-11-23, got '2026-13-01'"),
        problems("version: 1\nupdated: 2026-13-01\nmodels: { a: { input: 1, output: 1 } }\n", null));
  }

  @Test
  void badYamlAndRepeatedIdsAreReported() {
    List<String> bad = problems(MINI, "models: [\n");
    assertTrue(bad.get(0).startsWith("not valid YAML at line"), bad.toString());
    List<String> twice = problems(MINI, "models:\n  a: { input: 1, output: 1 }\n  a: { input: 2, output: 2 }\n");
    assertTrue(twice.get(0).contains("Duplicate field 'a'"), twice.toString());
    List<String> nan = problems(MINI, "models:\n  a: { input: .nan, output: 1 }\n");
    assertTrue(nan.get(0).startsWith("not valid YAML at line 2"), nan.toString());
  }

  @Test
  void decimalsStayExact() throws Exception {
    PriceTable t = PriceTable.fromYaml(MINI, "models:\n  m: { input: 0.1, output: 0.3, cacheRead: 0.000001 }\n");
    ModelPrice m = t.lookup("m").orElseThrow();
    assertEquals(d("0.1"), m.base().input());
    assertEquals(d("0.3"), m.base().output());
    assertEquals(d("0.000001"), m.base().cacheRead());
  }
}
