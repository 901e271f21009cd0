package dev.loopwatch.daemon.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.TestDaemon;
import dev.loopwatch.daemon.event.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tailer's fault cases (reference/tailing-anchors.md §4) against a real daemon in this JVM, real
 * files appended, renamed, truncated and replaced under it, and the real journal: after each case
 * every complete line is in the journal exactly once, in file order.
 */
class TailingTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path tmp;
  TestDaemon d;
  Path dir;

  @BeforeEach
  void setUp() throws IOException {
    d = new TestDaemon(tmp, "  maxLineBytes: 1MiB\n");
    dir = d.claude.resolve("logs");
    Files.createDirectories(dir);
  }

  @AfterEach
  void tearDown() {
    d.close();
  }

  @Test
  void appendsArriveOnceAndInOrder() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    for (int i = 0; i < 500; i++) {
      append(f, line("a", i)); // separate open/append/close: many notifications, coalesced
    }
    assertExactly("a", range(0, 500));
  }

  @Test
  void partialLastLineWaitsForItsNewline() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    append(f, line("a", 0) + line("a", 1).replace("\n", "").substring(0, 10));
    assertExactly("a", List.of(0));
    append(f, line("a", 1).substring(10));
    assertExactly("a", List.of(0, 1));
  }

  @Test
  void partialLineCompletedWhileStoppedIsReadOnce() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    String second = line("a", 1);
    append(f, line("a", 0) + second.substring(0, 7));
    assertExactly("a", List.of(0));
    d.stop();
    append(f, second.substring(7) + line("a", 2));
    d.start();
    assertExactly("a", List.of(0, 1, 2));
  }

  @Test
  void renameRotationDrainsTheOldFileAndReadsTheNewOne() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    writeLines(f, "a", 0, 100);
    assertExactly("a", range(0, 100));
    writeLines(f, "a", 100, 150); // written just before the rename: must not be lost
    Files.move(f, dir.resolve("app.jsonl.1"));
    writeLines(f, "b", 0, 50);
    assertExactly("a", range(0, 150));
    assertExactly("b", range(0, 50));
  }

  @Test
  void rotationWhileStoppedFinishesTheRotatedFile() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    writeLines(f, "a", 0, 10);
    assertExactly("a", range(0, 10));
    d.stop();
    writeLines(f, "a", 10, 20);
    Files.move(f, dir.resolve("app.jsonl.1"));
    writeLines(f, "b", 0, 5);
    d.start();
    assertExactly("a", range(0, 20));
    assertExactly("b", range(0, 5));
  }

  @Test
  void truncationToZeroThenSmallerOrLargerContentIsReadAsNew() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    writeLines(f, "a", 0, 20);
    assertExactly("a", range(0, 20));
    Files.write(f, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
    writeLines(f, "b", 0, 3); // smaller than before
    assertExactly("b", range(0, 3));
    // truncate and immediately grow past the old offset (syslog-ng loses these)
    try (OutputStream out = Files.newOutputStream(f, StandardOpenOption.TRUNCATE_EXISTING)) {
      StringBuilder sb = new StringBuilder();
      IntStream.range(0, 60).forEach(i -> sb.append(line("c", i)));
      out.write(sb.toString().getBytes(UTF_8));
    }
    assertExactly("c", range(0, 60));
    assertExactly("a", range(0, 20));
    assertExactly("b", range(0, 3));
  }

  @Test
  void copytruncateLosesNothingAndDuplicatesNothing() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    writeLines(f, "a", 0, 40);
    assertExactly("a", range(0, 40));
    writeLines(f, "a", 40, 45);
    Files.copy(f, dir.resolve("app.jsonl.1"));
    Files.write(f, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
    writeLines(f, "b", 0, 10);
    assertExactly("a", range(0, 45));
    assertExactly("b", range(0, 10));
  }

  @Test
  void atomicReplaceWithTheSamePrefixEmitsOnlyTheNewLines() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    writeLines(f, "a", 0, 30);
    assertExactly("a", range(0, 30));
    Path tmpFile = dir.resolve(".app.jsonl.tmp");
    Files.copy(f, tmpFile);
    writeLines(tmpFile, "a", 30, 40);
    Files.move(tmpFile, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    assertExactly("a", range(0, 40));
  }

  @Test
  void copytruncateWhileStoppedContinuesFromTheCopy() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    writeLines(f, "a", 0, 40);
    assertExactly("a", range(0, 40));
    d.stop();
    writeLines(f, "a", 40, 50); // never read before the copy
    Files.copy(f, dir.resolve("app.jsonl.1"));
    Files.write(f, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
    writeLines(f, "b", 0, 4);
    d.start();
    assertExactly("a", range(0, 50));
    assertExactly("b", range(0, 4));
    assertTrue(d.daemon().ingest().stats().adoptions() >= 1, "the copy continued the old stream");
  }

  @Test
  void atomicReplaceWhileStoppedResumesAfterTheCommonPrefix() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    writeLines(f, "a", 0, 30);
    assertExactly("a", range(0, 30));
    d.stop();
    Path tmpFile = dir.resolve(".app.jsonl.tmp");
    Files.copy(f, tmpFile);
    writeLines(tmpFile, "a", 30, 35);
    Files.move(tmpFile, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    d.start();
    assertExactly("a", range(0, 35));
    assertEquals(1, d.daemon().ingest().stats().adoptions());
  }

  @Test
  void deleteAndRecreateAtTheSamePathIsANewFile() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    writeLines(f, "a", 0, 10);
    assertExactly("a", range(0, 10));
    d.stop();
    Files.delete(f);
    writeLines(f, "b", 0, 12); // may reuse the inode: the content decides
    d.start();
    assertExactly("b", range(0, 12));
    assertExactly("a", range(0, 10));
  }

  @Test
  void filesCreatedAndGrownWhileStoppedAreBackfilled() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    writeLines(f, "a", 0, 5);
    assertExactly("a", range(0, 5));
    d.stop();
    writeLines(f, "a", 5, 9);
    writeLines(dir.resolve("new.jsonl"), "n", 0, 7);
    d.start();
    assertExactly("a", range(0, 9));
    assertExactly("n", range(0, 7));
  }

  @Test
  void deletedFileIsFinishedFromItsOpenHandle() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    writeLines(f, "a", 0, 5);
    assertExactly("a", range(0, 5));
    writeLines(f, "a", 5, 8);
    Files.delete(f);
    assertExactly("a", range(0, 8));
  }

  @Test
  void tooLongLineIsSkippedAndDeadLetteredAndTheFileKeepsBeingRead() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    String huge = "{\"f\":\"x\",\"n\":0,\"blob\":\"" + "y".repeat(3 << 20) + "\"}\n";
    append(f, line("a", 0) + huge + line("a", 1));
    assertExactly("a", List.of(0, 1));
    assertExactly("x", List.of());
    String dead = Files.readString(d.deadLetters());
    assertTrue(dead.contains("maxLineBytes"), dead);
    assertTrue(dead.contains("\"path\":\"" + f + "\""), dead);
    assertEquals(1, d.daemon().ingest().stats().oversizeLines());
  }

  @Test
  void invalidUtf8IsKeptWithReplacementAndCounted() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    byte[] bad = "{\"f\":\"a\",\"n\":1,\"text\":\"bad \u00ff\u00fe here\"}\n".getBytes(UTF_8);
    byte[] raw = new byte[bad.length];
    System.arraycopy(bad, 0, raw, 0, bad.length);
    byte[] invalid = replaceAll(raw, "\u00ff\u00fe".getBytes(UTF_8), new byte[] {(byte) 0xff, (byte) 0xfe});
    append(f, line("a", 0));
    try (OutputStream out = Files.newOutputStream(f, StandardOpenOption.APPEND)) {
      out.write(invalid);
    }
    append(f, line("a", 2));
    assertExactly("a", List.of(0, 1, 2));
    Event e = events("a").get(1);
    assertEquals("bad \uFFFD\uFFFD here", e.attr("text"));
    assertEquals(1, d.daemon().ingest().stats().invalidUtf8Lines());
  }

  @Test
  void badJsonIsDeadLetteredAndNulsAndCrlfAreTolerated() throws IOException {
    d.start();
    Path f = dir.resolve("app.jsonl");
    append(f, line("a", 0) + "{\"f\":\"a\",\"n\":\n" + "\0\0\0" + line("a", 1) + line("a", 2).replace("\n", "\r\n"));
    assertExactly("a", List.of(0, 1, 2));
    assertEquals(1, d.daemon().ingest().stats().badLines());
    assertTrue(Files.readString(d.deadLetters()).contains("invalid JSON"));
  }

  @Test
  void manySmallFilesAreAllReadWithBoundedHandles() throws IOException {
    int files = 2000;
    for (int i = 0; i < files; i++) {
      Path sub = dir.resolve("d" + (i % 50));
      Files.createDirectories(sub);
      Files.writeString(sub.resolve("f" + i + ".jsonl"), line("m", i));
    }
    d.start();
    await().atMost(WAIT).until(() -> numbers("m").size() >= files && d.quiet());
    assertEquals(range(0, files), numbers("m").stream().sorted().toList());
    assertTrue(d.daemon().ingest().stats().openFiles() <= d.config().ingest().maxOpenFiles());
  }

  // --- helpers ---------------------------------------------------------------------------------------

  static String line(String tag, int n) {
    return "{\"f\":\"" + tag + "\",\"n\":" + n + ",\"pad\":\"" + "p".repeat(n % 7 * 10) + "\"}\n";
  }

  static void append(Path f, String text) throws IOException {
    Files.writeString(f, text, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static void writeLines(Path f, String tag, int from, int to) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append(line(tag, i));
    }
    append(f, sb.toString());
  }

  static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  List<Event> events(String tag) {
    return d.events().stream().filter(e -> tag.equals(e.attr("f"))).toList();
  }

  /** Waits until the tag's lines are all journaled and the daemon is quiet, then checks exactly-once. */
  void assertExactly(String tag, List<Integer> expected) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> numbers(tag).containsAll(expected) && d.quiet());
    await().pollDelay(Duration.ofMillis(300)).atMost(WAIT).until(d::quiet);
    assertEquals(expected, numbers(tag), "lines of '" + tag + "' in the journal");
  }

  List<Integer> numbers(String tag) {
    List<Integer> out = new ArrayList<>();
    for (Event e : events(tag)) {
      out.add(Integer.parseInt(e.attr("n")));
    }
    return out;
  }

  static byte[] replaceAll(byte[] src, byte[] what, byte[] with) {
    String s = new String(src, java.nio.charset.StandardCharsets.ISO_8859_1);
    String w = new String(what, java.nio.charset.StandardCharsets.ISO_8859_1);
    String r = new String(with, java.nio.charset.StandardCharsets.ISO_8859_1);
    return s.replace(w, r).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
