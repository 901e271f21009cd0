package dev.loopwatch.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The promises the benchmark relies on, checked on a small corpus (about a second). */
class CorpusGeneratorTest {

  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void sameSeedGivesSameBytes(@TempDir Path tmp) throws IOException {
    CorpusGenerator.generate(tmp.resolve("a/.claude"), 2, 7);
    CorpusGenerator.generate(tmp.resolve("b/.claude"), 2, 7);
    List<Path> a = files(tmp.resolve("a"));
    List<Path> b = files(tmp.resolve("b"));
    assertEquals(a, b);
    for (Path relative : a) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(relative)),
          Files.readAllBytes(tmp.resolve("b").resolve(relative)), relative.toString());
    }
  }

  /**
   * Every line is JSON, top-level uuids are unique, and the manifest's token totals equal what a
   * ccusage-style reader gets: one entry per (message.id, requestId) over assistant lines and
   * agent_progress copies, keeping the largest output_tokens.
   */
  @Test
  void totalsMatchTheLinesAfterDedupe(@TempDir Path tmp) throws IOException {
    Path claude = tmp.resolve(".claude");
    CorpusGenerator.Corpus corpus = CorpusGenerator.generate(claude, 3, 11);
    long bytes = assertTotalsMatchTheLines(claude, corpus);
    assertTrue(bytes >= 3L << 20, "at least --size-mb");
  }

  /**
   * A lean corpus keeps the history (sessions, API requests, tokens of the same size) and drops most of
   * the bytes, and its totals are as exact as a normal corpus's.
   */
  @Test
  void leanKeepsTheHistoryAndDropsTheBytes(@TempDir Path tmp) throws IOException {
    CorpusGenerator.Corpus full = CorpusGenerator.generate(tmp.resolve("full/.claude"), 16, 5);
    CorpusGenerator.Corpus lean = CorpusGenerator.generate(tmp.resolve("lean/.claude"), 16, 5, true);
    assertTotalsMatchTheLines(tmp.resolve("lean/.claude"), lean);
    String sizes = "full: " + full.sessions + " sessions, " + full.responses + " responses, " + full.bytes
        + " bytes; lean: " + lean.sessions + " sessions, " + lean.responses + " responses, " + lean.bytes + " bytes";
    System.out.println("CorpusGeneratorTest: 16 MiB " + sizes);
    assertTrue(Math.abs(lean.sessions - full.sessions) <= full.sessions / 4, sizes);
    assertTrue(Math.abs(lean.responses - full.responses) <= full.responses / 3, sizes);
    assertTrue(lean.bytes < full.bytes / 2, sizes);
    assertTrue(lean.nominalBytes() >= 16L << 20 && full.nominalBytes() == full.bytes, sizes);
    // the same order of tokens per request: the model saw outputs of the same size
    double fullPerRequest = (double) full.cacheCreationTokens / full.responses;
    double leanPerRequest = (double) lean.cacheCreationTokens / lean.responses;
    assertTrue(leanPerRequest > fullPerRequest / 2 && leanPerRequest < fullPerRequest * 2, fullPerRequest + " vs " + leanPerRequest);
  }

  /** Checks the manifest's counts and token totals against the files; returns the bytes under projects/. */
  private long assertTotalsMatchTheLines(Path claude, CorpusGenerator.Corpus corpus) throws IOException {
    Map<String, long[]> byResponse = new HashMap<>(); // input, output, cache creation, cache read
    Set<String> uuids = new HashSet<>();
    long lines = 0;
    long bytes = 0;
    for (Path file : files(claude.resolve("projects"))) {
      Path path = claude.resolve("projects").resolve(file);
      bytes += Files.size(path);
      for (String text : Files.readAllLines(path)) {
        lines++;
        JsonNode line = mapper.readTree(text);
        if (line.has("uuid")) {
          assertTrue(uuids.add(line.get("uuid").asText()), "duplicate uuid " + line.get("uuid"));
        }
        JsonNode copy = line.path("data").path("message");
        if (line.path("type").asText().equals("assistant")) {
          count(byResponse, line.get("message"), line.get("requestId").asText());
        } else if (copy.path("type").asText().equals("assistant")) {
          count(byResponse, copy.get("message"), copy.get("requestId").asText());
        }
      }
    }
    long[] totals = new long[4];
    byResponse.values().forEach(u -> {
      for (int i = 0; i < 4; i++) {
        totals[i] += u[i];
      }
    });

    assertEquals(corpus.lines, lines);
    assertEquals(corpus.bytes, bytes);
    assertEquals(corpus.responses, byResponse.size());
    assertArrayEquals(new long[] {corpus.inputTokens, corpus.outputTokens, corpus.cacheCreationTokens,
        corpus.cacheReadTokens}, totals);
    assertTrue(Files.size(claude.resolve("history.jsonl")) > 0);
    return bytes;
  }

  private static void count(Map<String, long[]> byResponse, JsonNode message, String requestId) {
    JsonNode u = message.get("usage");
    long[] usage = {u.get("input_tokens").asLong(), u.get("output_tokens").asLong(),
        u.get("cache_creation_input_tokens").asLong(), u.get("cache_read_input_tokens").asLong()};
    byResponse.merge(message.get("id").asText() + ' ' + requestId, usage,
        (a, b) -> a[1] >= b[1] ? a : b);
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(root::relativize).sorted().collect(Collectors.toList());
    }
  }
}
