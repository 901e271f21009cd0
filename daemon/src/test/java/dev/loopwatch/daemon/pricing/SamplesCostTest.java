package dev.loopwatch.daemon.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Prices the real sample transcripts the way the store will (per request, de-duplicated, split, summed
 * per model) and checks the grand totals against what ccusage 20.0.24 {@code claude daily --offline}
 * printed for the same files (reference §6). Parses the JSON itself so it depends on nothing else of the
 * daemon.
 */
class SamplesCostTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One API request's usage; repeated copies keep the largest value of each field. */
  private static final class Request {
    final String model;
    String speed;
    long input;
    long output;
    long cw5;
    long cw1;
    long cacheRead;
    long webSearch;

    Request(String model) {
      this.model = model;
    }

    void merge(JsonNode usage) {
      input = Math.max(input, usage.path("input_tokens").asLong());
      output = Math.max(output, usage.path("output_tokens").asLong());
      cacheRead = Math.max(cacheRead, usage.path("cache_read_input_tokens").asLong());
      JsonNode breakdown = usage.path("cache_creation");
      if (breakdown.isObject()) {
        cw5 = Math.max(cw5, breakdown.path("ephemeral_5m_input_tokens").asLong());
        cw1 = Math.max(cw1, breakdown.path("ephemeral_1h_input_tokens").asLong());
      } else {
        // Claude Code 1.0.x has no breakdown: every write is a 5-minute write (as in ccusage).
        cw5 = Math.max(cw5, usage.path("cache_creation_input_tokens").asLong());
      }
      webSearch = Math.max(webSearch, usage.path("server_tool_use").path("web_search_requests").asLong());
      if (usage.path("speed").isTextual()) {
        speed = usage.path("speed").asText();
      }
    }
  }

  private static Path samples() {
    String prop = System.getProperty("loopwatch.samples");
    Path dir = prop != null && !prop.isBlank() ? Path.of(prop) : Tables.repo().resolve("../shared/samples");
    dir = dir.toAbsolutePath().normalize();
    assertTrue(
        Files.isDirectory(dir.resolve("transcripts")),
        "the shared samples are missing: expected " + dir + "/transcripts (set -Dloopwatch.samples)");
    return dir;
  }

  private static List<Path> transcripts() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String set : List.of("sniffly-v1.0.17", "spotter-v2.1.38-39")) {
      try (Stream<Path> walk = Files.walk(samples().resolve("transcripts").resolve(set))) {
        walk.filter(p -> p.toString().endsWith(".jsonl")).sorted().forEach(files::add);
      }
    }
    return files;
  }

  /** Every API request of the files, keyed by (message.id, requestId). */
  private static Map<String, Request> requests(List<Path> files) throws IOException {
    Map<String, Request> requests = new LinkedHashMap<>();
    int unkeyed = 0;
    for (Path file : files) {
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line; (line = in.readLine()) != null; ) {
          JsonNode node;
          try {
            node = JSON.readTree(line);
          } catch (IOException e) {
            continue;
          }
          if (node == null) {
            continue;
          }
          // A subagent's assistant message, copied into the parent as progress/agent_progress.
          JsonNode envelope =
              "progress".equals(node.path("type").asText()) && "agent_progress".equals(node.path("data").path("type").asText())
                  ? node.path("data").path("message")
                  : node;
          if (!"assistant".equals(envelope.path("type").asText())) {
            continue;
          }
          JsonNode message = envelope.path("message");
          JsonNode usage = message.path("usage");
          String model = message.path("model").asText(null);
          if (!usage.isObject() || ModelPrice.SYNTHETIC.equals(model)) {
            continue;
          }
          String id = message.path("id").asText(null);
          String key = id == null ? "unkeyed:" + unkeyed++ : id + "\u0000" + envelope.path("requestId").asText("");
          requests.computeIfAbsent(key, k -> new Request(model)).merge(usage);
        }
      }
    }
    return requests;
  }

  @Test
  void theSamplesCostWhatCcusageDailyPrints() throws IOException {
    PriceTable table = Tables.shipped();
    Map<String, Request> requests = requests(transcripts());

    Map<List<String>, TokenSums> perModel = new LinkedHashMap<>();
    for (Request r : requests.values()) {
      TokenSums one = table.splitFor(r.model).split(r.input, r.output, r.cw5, r.cw1, r.cacheRead, r.webSearch);
      perModel.merge(Arrays.asList(r.model, r.speed), one, TokenSums::plus);
    }
    List<ModelUsage> usage = new ArrayList<>();
    TokenSums all = TokenSums.ZERO;
    for (Map.Entry<List<String>, TokenSums> e : perModel.entrySet()) {
      usage.add(new ModelUsage(e.getKey().get(0), e.getKey().get(1), e.getValue()));
      all = all.plus(e.getValue());
    }
    Priced priced = new CostCalculator(table).price(usage);

    assertEquals(485, requests.size(), "requests after de-duplication (reference §1.9)");
    assertEquals(4_836, all.input());
    assertEquals(99_512, all.output());
    assertEquals(1_215_381, all.cacheWrite());
    assertEquals(33_913_057, all.cacheRead());
    assertEquals(35_232_786, all.totalTokens());
    assertTrue(priced.complete(), "unpriced: " + priced.unknownModels());
    BigDecimal ccusage = new BigDecimal("19.57124615");
    assertTrue(
        priced.total().subtract(ccusage).abs().compareTo(new BigDecimal("0.000001")) <= 0,
        "cost " + priced.total().toPlainString() + " vs ccusage " + ccusage);
    // Exact decimals land on ccusage's printed value itself, not just near it.
    assertEquals(0, ccusage.compareTo(priced.total()), priced.total().toPlainString());
    System.out.println("samples: " + requests.size() + " requests, $" + priced.total().toPlainString() + " " + priced.byModel());
  }
}
