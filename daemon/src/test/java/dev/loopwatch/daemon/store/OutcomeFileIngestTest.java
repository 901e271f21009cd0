package dev.loopwatch.daemon.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.TestDaemon;
import dev.loopwatch.daemon.store.query.SessionDetail;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole way of a {@code .session_outcome}: a transcript names its working directory, the daemon
 * discovers the project's {@code .claude/}, reads the file the user wrote at the end of the session, and
 * the session's outcome becomes what it says, then follows a later rewrite; a rebuild from the journal
 * links both versions again. Real files, a real daemon.
 */
class OutcomeFileIngestTest {
  private static final Instant START = Instant.parse("2026-11-02T10:00:00Z");

  @TempDir Path tmp;

  @Test
  void theOutcomeAUserWritesDecidesTheSessionItWasWrittenAfter() throws Exception {
    Path project = tmp.resolve("work").resolve("shop");
    Files.createDirectories(project.resolve(".claude"));
    try (TestDaemon d = new TestDaemon(tmp.resolve("d"))) {
      Path transcripts = d.claude.resolve("projects").resolve("-work-shop");
      Files.createDirectories(transcripts);
      Files.writeString(transcripts.resolve("s-1.jsonl"), transcript("s-1", project), StandardCharsets.UTF_8);
      Path outcome = project.resolve(".claude").resolve(".session_outcome");
      write(outcome, "✅ SUCCESS: the flaky test was the clock", START.plus(Duration.ofMinutes(8)));
      d.start();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertEquals("SUCCESS", outcome(d), "ends on a failed result, but the user says it worked"));
      assertEquals(
          "declared in " + project + "/.claude/.session_outcome (SUCCESS: the flaky test was the clock)",
          d.daemon().queries().session("s-1").session().outcomeReason());

      write(outcome, "Status: BLOCKED\nSummary: needs a staging key", START.plus(Duration.ofMinutes(9)));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals("BLOCKED", outcome(d)));

      // a rebuild from the journal links both versions again, the same way
      Map<String, String> before;
      try (Connection c = d.daemon().database().connection()) {
        before = TableChecksums.of(c);
      }
      assertTrue(before.get("outcome_files").startsWith("2:"), before.toString());
      d.daemon().projector().rebuild().get(60, TimeUnit.SECONDS);
      try (Connection c = d.daemon().database().connection()) {
        assertEquals(before, TableChecksums.of(c));
      }
      assertEquals("BLOCKED", outcome(d));
    }
  }

  /** The session's outcome; {@code null} while it is not projected yet. */
  private static String outcome(TestDaemon d) throws Exception {
    SessionDetail detail = d.daemon().queries().session("s-1");
    return detail == null ? null : detail.session().outcome();
  }

  /** Writes a new version of the file, modified at {@code mtime} (when the user wrote it). */
  private static void write(Path file, String text, Instant mtime) throws Exception {
    Path next = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(next, text, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(next, FileTime.from(mtime));
    Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** A prompt, an answer that runs a command, and the command failing: FAILED by the rules. */
  private static String transcript(String session, Path cwd) {
    String envelope = "\"cwd\":\"" + cwd + "\",\"sessionId\":\"" + session + "\",\"version\":\"2.1.39\",\"isSidechain\":false";
    return String.join("\n", List.of(
        "{" + envelope + ",\"type\":\"user\",\"uuid\":\"u1\",\"timestamp\":\"" + START + "\","
            + "\"message\":{\"role\":\"user\",\"content\":\"fix the flaky test\"}}",
        "{" + envelope + ",\"type\":\"assistant\",\"uuid\":\"a1\",\"requestId\":\"req_1\",\"timestamp\":\""
            + START.plusSeconds(60) + "\",\"message\":{\"model\":\"claude-sonnet-4-5-20250929\",\"id\":\"msg_1\","
            + "\"stop_reason\":\"tool_use\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\","
            + "\"input\":{\"command\":\"make test\"}}],\"usage\":{\"input_tokens\":3,\"output_tokens\":13}}}",
        "{" + envelope + ",\"type\":\"user\",\"uuid\":\"u2\",\"timestamp\":\"" + START.plusSeconds(120) + "\","
            + "\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\","
            + "\"is_error\":true,\"content\":\"Exit code 2\"}]},\"toolUseResult\":\"Error: Exit code 2\"}"))
        + "\n";
  }
}
