package dev.loopwatch.daemon.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.bench.CorpusGenerator;
import dev.loopwatch.daemon.TestDaemon;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real daemon started on a generated Claude home of 24 MiB, asked for its totals over and over from
 * the moment its socket answers: an answer either says that the store still lacks part of the history
 * ("backfill") or has every token of it. No answer is partial without saying so.
 */
class BackfillAnswersTest {
  private static final String[] TOKENS = {"inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens"};

  @Test
  void everyAnswerIsCompleteOrSaysThatItIsNot(@TempDir Path root) throws Exception {
    Path home = root.resolve("home");
    CorpusGenerator.main(new String[] {"--out", home.toString(), "--size-mb", "24", "--seed", "7"});
    Properties expected = new Properties();
    try (Reader r = Files.newBufferedReader(home.resolve("corpus.properties"))) {
      expected.load(r);
    }

    try (TestDaemon d = new TestDaemon(root).start();
        SocketClient c = SocketClient.connect(d.daemon().config().socket().path())) {
      int partial = 0;
      int answers = 0;
      JsonNode last;
      do {
        JsonNode a = c.request("cost", Map.of());
        assertTrue(a.path("ok").asBoolean(false), a.toString());
        last = a.path("result");
        answers++;
        if (last.has("backfill")) {
          partial++;
        } else {
          for (String t : TOKENS) {
            assertEquals(Long.parseLong(expected.getProperty(t)), last.path("totals").path(t).asLong(),
                t + " in an answer without 'backfill', after " + partial + " partial ones: " + last);
          }
        }
      } while (last.has("backfill") && answers < 100_000);
      assertTrue(partial > 0, "the first answer came after the whole backfill: nothing was checked");
      assertFalse(last.has("backfill"));
      // the other answers from the store say nothing more once it holds the history
      assertFalse(c.request("sessions", Map.of()).path("result").has("backfill"));
    }
  }
}
