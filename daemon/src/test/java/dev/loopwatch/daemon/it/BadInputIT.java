package dev.loopwatch.daemon.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopwatch.daemon.event.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault cases 16, 17 and 18 of tailing-anchors.md §4 with a real process: a 20 MiB line (over the 16 MiB
 * default cap), invalid UTF-8, invalid JSON, a JSON value that is no object, and NUL runs, both in the
 * backfill and appended while the daemon tails. The daemon keeps tailing the file, writes exactly one
 * dead letter per bad line (path, offset, length, reason, head), keeps invalid UTF-8 with replacement
 * characters, skips NULs, and journals every other line exactly once, also across a restart.
 */
class BadInputIT {
  private static final int HUGE = 20 << 20;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  /** A dead letter the daemon must write: where the bad line starts, its length and why. */
  record Expected(Path path, long offset, long length, String reason, byte[] line) {}

  final Corpus c = new Corpus();
  final List<Expected> dead = new ArrayList<>();

  @Test
  void badLinesAreDeadLetteredOnceAndTheRestIsJournaledExactlyOnce() throws IOException {
    Sandbox s = Sandbox.create(tmp);
    Path logs = Files.createDirectories(s.claude.resolve("logs"));
    Path backfilled = logs.resolve("before.jsonl");
    Path app = logs.resolve("app.jsonl");

    // present at start: read by the backfill
    lines(backfilled, "before", 5);
    bad(backfilled, "{\"f\":\"before\",\"n\":".getBytes(UTF_8), "invalid JSON");
    bad(backfilled, huge("before-huge"), "maxLineBytes");
    lines(backfilled, "before", 5);
    lines(app, "app", 10);

    Event[] invalidUtf8 = {null};
    try (DaemonProcess d = DaemonProcess.start(s)) {
      d.awaitCaughtUp(Duration.ofSeconds(60));
      Drain.awaitCovered(s.journalDir(), Tally::perLine, c.expected(), Duration.ofSeconds(30));

      // appended while it tails
      bad(app, huge("app-huge"), "maxLineBytes");
      lines(app, "app", 10);
      raw(app, bytes("{\"f\":\"app\",\"n\":" + c.next("app") + ",\"text\":\"bad ", new byte[] {(byte) 0xff, (byte) 0xfe},
          " here\",\"more\":\"", new byte[] {(byte) 0xc3, 0x28}, "\"}\n")); // invalid UTF-8: kept, with U+FFFD
      bad(app, "{\"f\":\"app\",\"n\":31,\"text\":\"no end".getBytes(UTF_8), "invalid JSON");
      bad(app, "not json at all".getBytes(UTF_8), "invalid JSON");
      bad(app, "[1,2,3]".getBytes(UTF_8), "");
      raw(app, bytes(new byte[4096], "\n")); // a line of NULs only: nothing
      raw(app, bytes(new byte[100], Corpus.generic("app", c.next("app"), 50))); // NUL run before a line: the line
      raw(app, crlf(Corpus.generic("app", c.next("app"), 50))); // CRLF: the CR is not part of the JSON
      lines(app, "app", 10);
      assertTrue(Drain.awaitCovered(s.journalDir(), Tally::perLine, c.expected(), Duration.ofSeconds(60)),
          "the daemon keeps tailing after the bad lines");
      Drain.awaitQuiet(s.journalDir(), Duration.ofMillis(1500));
      d.stop();
    }
    assertDeadLetters(s);

    // a restart neither re-reads the bad lines nor loses the file
    List<String> deadBefore = Files.readAllLines(s.deadLetters());
    lines(app, "app", 5);
    try (DaemonProcess d = DaemonProcess.start(s)) {
      d.awaitCaughtUp(Duration.ofSeconds(60));
      Drain.awaitCovered(s.journalDir(), Tally::perLine, c.expected(), Duration.ofSeconds(30));
      Drain.awaitQuiet(s.journalDir(), Duration.ofMillis(1500));
      d.stop();
    }
    assertEquals(deadBefore, Files.readAllLines(s.deadLetters()), "dead letters after a restart");

    JournalReader.readAll(s.journalDir(), e -> {
      if (e.attr("text") != null && e.attr("text").startsWith("bad ")) {
        invalidUtf8[0] = e;
      }
    });
    assertTrue(invalidUtf8[0] != null, "the invalid UTF-8 line is journaled");
    assertEquals("bad \uFFFD\uFFFD here", invalidUtf8[0].attr("text"), "invalid bytes replaced, not dropped");
    Drain.readAll(s.journalDir(), Tally::perLine).assertExactlyOnce(c.expected(), "good lines around bad ones");
  }

  private void assertDeadLetters(Sandbox s) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> records = Files.readAllLines(s.deadLetters());
    System.out.println("[bad-input] " + records.size() + " dead letters:\n  " + String.join("\n  ",
        records.stream().map(r -> r.length() > 300 ? r.substring(0, 300) + "…" : r).toList()));
    assertEquals(dead.size(), records.size(), "one dead letter per bad line:\n" + String.join("\n", records));
    for (int i = 0; i < dead.size(); i++) {
      Expected x = dead.get(i);
      JsonNode r = records.stream().map(l -> read(json, l))
          .filter(n -> n.path("path").asText().equals(x.path().toString()) && n.path("offset").asLong() == x.offset())
          .findFirst()
          .orElseThrow(() -> new AssertionError("no dead letter for " + x.path() + " at " + x.offset() + ":\n" + String.join("\n", records)));
      assertEquals(x.length(), r.path("length").asLong(), "length of the bad line at " + x.offset());
      assertTrue(r.path("reason").asText().contains(x.reason()) && !r.path("reason").asText().isEmpty(),
          "reason for the line at " + x.offset() + ": " + r.path("reason"));
      String head = new String(x.line(), 0, Math.min(x.line().length, 1024), StandardCharsets.UTF_8);
      assertEquals(head, r.path("head").asText(), "head of the bad line at " + x.offset());
      assertTrue(!r.path("ts").asText().isEmpty(), "timestamp");
    }
  }

  private static JsonNode read(ObjectMapper json, String line) {
    try {
      return json.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("dead letter is no JSON: " + line, e);
    }
  }

  private void lines(Path f, String stream, int n) {
    c.appendLines(f, stream, n, 80);
  }

  /** Appends a bad line (its newline added) and expects one dead letter for it. */
  private void bad(Path f, byte[] line, String reason) throws IOException {
    long offset = Files.exists(f) ? Files.size(f) : 0;
    raw(f, bytes(line, "\n"));
    dead.add(new Expected(f, offset, line.length, reason, line));
  }

  private static void raw(Path f, byte[] b) {
    Corpus.append(f, b);
  }

  /** A valid JSON line of 20 MiB without its newline, over the 16 MiB default ingest.maxLineBytes. */
  private static byte[] huge(String stream) {
    byte[] head = ("{\"f\":\"" + stream + "\",\"n\":0,\"blob\":\"").getBytes(UTF_8);
    byte[] line = Arrays.copyOf(head, HUGE);
    Arrays.fill(line, head.length, HUGE - 2, (byte) 'y');
    line[HUGE - 2] = '"';
    line[HUGE - 1] = '}';
    return line;
  }

  private static byte[] crlf(byte[] line) {
    byte[] out = Arrays.copyOf(line, line.length + 1);
    out[line.length - 1] = '\r';
    out[line.length] = '\n';
    return out;
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      byte[] b = p instanceof byte[] raw ? raw : p.toString().getBytes(UTF_8);
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }
}
