package dev.loopwatch.daemon.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import dev.loopwatch.daemon.event.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir Path tmp;

  static Event event(int n) {
    return Event.builder(EventKind.API_USAGE, "claude.transcript")
        .id("id-" + n)
        .ts(Instant.ofEpochMilli(1_700_000_000_000L + n))
        .ingestedAt(Instant.ofEpochMilli(1_700_000_000_500L))
        .machine("m")
        .sessionId("s")
        .model("claude-opus-4-6")
        .usage(new Usage(1, 2, 3, 4, 5, 6))
        .durationMs(7L)
        .success(true)
        .attr("msgId", "msg_" + n)
        .attr("text", "ünïcödé \"quoted\"\n")
        .build();
  }

  @Test
  void eventsRoundTripExactly() {
    Event e = event(1);
    assertEquals(e, EventCodec.decode(EventCodec.encode(e)));
    Event minimal =
        Event.builder(EventKind.RAW, "jsonl").id("x").ts(Instant.EPOCH).ingestedAt(Instant.EPOCH).build();
    assertEquals(minimal, EventCodec.decode(EventCodec.encode(minimal)));
  }

  @Test
  void batchesAreAppendedAndReplayedWithTheirMarks() throws Exception {
    List<Long> committed = new ArrayList<>();
    try (Journal j = new Journal(tmp.resolve("j"))) {
      j.addCommitListener((b, idx) -> committed.add(idx));
      j.start();
      JournalBatch first = JournalBatch.of(List.of("m1".getBytes(UTF_8)), List.of(event(1), event(2)));
      j.append(first);
      JournalBatch second = JournalBatch.after(first.committed(), List.of(), List.of(event(3)));
      j.append(second);
      long idx = second.committed().get(5, TimeUnit.SECONDS);
      assertEquals(idx, j.lastIndex());
    }
    try (Journal j = new Journal(tmp.resolve("j"))) {
      j.start();
      List<JournalEntry> entries = new ArrayList<>();
      long last = j.replay(-1, true, entries::add);
      List<Event> events = entries.stream().flatMap(en -> en.events().stream()).toList();
      assertEquals(List.of(event(1), event(2), event(3)), events);
      assertEquals("m1", new String(entries.get(0).marks().get(0), UTF_8));
      assertEquals(committed.get(committed.size() - 1), last);
      // replay after an index skips what came before it
      List<Event> after = new ArrayList<>();
      j.replay(entries.get(0).index(), true, en -> after.addAll(en.events()));
      if (entries.size() > 1) {
        assertEquals(List.of(event(3)), after);
      } else {
        assertEquals(List.of(), after); // both batches were coalesced into one document
      }
    }
  }

  @Test
  void aBatchWhosePredecessorFailedIsNeverWritten() throws Exception {
    try (Journal j = new Journal(tmp.resolve("j"))) {
      j.start();
      CompletableFuture<Long> failed = new CompletableFuture<>();
      failed.completeExceptionally(new IllegalStateException("disk full"));
      JournalBatch orphan = JournalBatch.after(failed, List.of("cp".getBytes(UTF_8)), List.of(event(9)));
      j.append(orphan);
      ExecutionException e = assertThrows(ExecutionException.class, () -> orphan.committed().get(5, TimeUnit.SECONDS));
      assertTrue(e.getCause().getMessage().contains("earlier batch"));
      JournalBatch ok = JournalBatch.of(List.of(), List.of(event(1)));
      j.append(ok);
      ok.committed().get(5, TimeUnit.SECONDS);
      List<Event> all = new ArrayList<>();
      j.replay(-1, true, en -> all.addAll(en.events()));
      assertEquals(List.of(event(1)), all);
    }
  }

  @Test
  void appendingToAClosedJournalFails() {
    Journal j = new Journal(tmp.resolve("j"));
    j.start();
    j.close();
    j.close(); // idempotent
    assertThrows(IllegalStateException.class, () -> j.append(JournalBatch.of(List.of(), List.of(event(1)))));
  }

  @Test
  void retentionDeletesWholeOldCyclesOnly() throws Exception {
    Path dir = tmp.resolve("j");
    AtomicLong now = new AtomicLong(Instant.parse("2025-01-01T12:00:00Z").toEpochMilli());
    // Write one document per day for 10 days with a fake clock: ten daily cycle files.
    try (Journal j = new Journal(dir, RollCycles.FAST_DAILY, now::get)) {
      j.start();
      for (int day = 0; day < 10; day++) {
        JournalBatch b = JournalBatch.of(List.of(), List.of(event(day)));
        j.append(b);
        b.committed().get(5, TimeUnit.SECONDS);
        now.addAndGet(86_400_000L);
      }
    }
    assertEquals(10, cycleFiles(dir));
    Clock clock = Clock.fixed(Instant.parse("2025-01-10T13:00:00Z"), ZoneOffset.UTC);
    try (Journal j = new Journal(dir, RollCycles.FAST_DAILY, now::get)) {
      j.start();
      AtomicLong needed = new AtomicLong(-1);
      int deleted = new JournalRetention(j, () -> 5, List.of(needed::get), clock).run();
      // cycles ending on or before 2025-01-05T13:00 are past a 5-day retention: Jan 1..4
      assertEquals(4, deleted);
      assertEquals(6, cycleFiles(dir));
      List<Event> left = new ArrayList<>();
      j.replay(-1, true, en -> left.addAll(en.events()));
      assertEquals(List.of(event(4), event(5), event(6), event(7), event(8), event(9)), left);
    }
  }

  @Test
  void retentionKeepsWhatAReaderStillNeeds() throws Exception {
    Path dir = tmp.resolve("j");
    AtomicLong now = new AtomicLong(Instant.parse("2025-01-01T12:00:00Z").toEpochMilli());
    long firstIndex;
    try (Journal j = new Journal(dir, RollCycles.FAST_DAILY, now::get)) {
      j.start();
      JournalBatch b = JournalBatch.of(List.of(), List.of(event(0)));
      j.append(b);
      firstIndex = b.committed().get(5, TimeUnit.SECONDS);
      for (int day = 1; day < 4; day++) {
        now.addAndGet(86_400_000L);
        JournalBatch c = JournalBatch.of(List.of(), List.of(event(day)));
        j.append(c);
        c.committed().get(5, TimeUnit.SECONDS);
      }
    }
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    try (Journal j = new Journal(dir, RollCycles.FAST_DAILY, now::get)) {
      j.start();
      int deleted = new JournalRetention(j, () -> 1, List.of(() -> firstIndex), clock).run();
      assertEquals(0, deleted, "a reader still needs the first cycle");
      assertFalse(cycleFiles(dir) < 4);
    }
  }

  static long cycleFiles(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".cq4")).count();
    }
  }
}
