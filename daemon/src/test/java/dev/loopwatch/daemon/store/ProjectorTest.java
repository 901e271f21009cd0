package dev.loopwatch.daemon.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.journal.Journal;
import dev.loopwatch.daemon.journal.JournalBatch;
import dev.loopwatch.daemon.pricing.TierSplit;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The projector on a real Chronicle journal and a real H2 store, on its own thread: live latency, restart
 * from the committed offset, duplicates, and a rebuild under appends. Every event is an API request of
 * its own (one api_requests row each), so "every event once" shows in two tables.
 */
class ProjectorTest {
  static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");

  @TempDir Path tmp;

  Journal journal;
  Database db;
  Projector projector;

  void open() {
    openAfter(CompletableFuture.completedFuture(null), Duration.ZERO);
  }

  /** Opens with a projector that waits for {@code backfill}, at most {@code atMost}. */
  void openAfter(CompletableFuture<Void> backfill, Duration atMost) {
    journal = new Journal(tmp.resolve("journal"));
    journal.start();
    db = new Database(tmp.resolve("store"));
    db.start();
    projector = new Projector(journal, db, model -> TierSplit.DEFAULT, Clock.systemUTC());
    projector.startAfter(backfill, atMost);
  }

  void closeAll() {
    if (projector != null) {
      projector.close();
    }
    if (db != null) {
      db.close();
    }
    if (journal != null) {
      journal.close();
    }
    projector = null;
    db = null;
    journal = null;
  }

  @AfterEach
  void tearDown() {
    closeAll();
  }

  /** {@code n} distinct requests of session {@code session}, numbered from {@code from}. */
  static List<Event> requests(String session, int from, int n) {
    Events e = new Events(session, "/work/p");
    List<Event> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(e.usage(T0.plusSeconds(i), "msg_" + session + "_" + i, "claude-sonnet-4-5-20250929", 10, 20, 0, 0));
    }
    return out;
  }

  /** Appends one document and returns its journal index once it is written. */
  long append(List<Event> events) throws Exception {
    JournalBatch batch = JournalBatch.of(List.of(), events);
    journal.append(batch);
    return batch.committed().get(10, TimeUnit.SECONDS);
  }

  long one(String sql) throws Exception {
    try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void anAppendedDocumentIsProjectedWithin250MillisecondsWhenIdle() throws Exception {
    open();
    long first = append(requests("live", 0, 3));
    assertTrue(projector.awaitProjected(first, Duration.ofSeconds(10)));
    // idle now: the projector waits on the journal, and is woken by the next append
    long index = append(requests("live", 3, 1));
    assertTrue(projector.awaitProjected(index, Duration.ofMillis(250)), "projected " + projector.projectedIndex());
    assertTrue(projector.projectedIndex() >= index);
    assertTrue(projector.caughtUp());
    assertEquals(4, one("SELECT COUNT(*) FROM events"));
    assertEquals(4, one("SELECT requests FROM sessions WHERE session_id = 'live'"));
    assertEquals(index, one("SELECT queue_index FROM projection_offset"));
  }

  @Test
  void whileTheStartUpBackfillIsJournaledNothingIsProjectedThenEverything() throws Exception {
    CompletableFuture<Void> backfill = new CompletableFuture<>();
    openAfter(backfill, Duration.ofHours(1));
    long last = 0;
    for (int doc = 0; doc < 3; doc++) {
      last = append(requests("b", doc * 10, 10));
    }
    await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
        .until(() -> projector.projectedIndex() == -1 && one("SELECT COUNT(*) FROM events") == 0);

    backfill.complete(null);
    assertTrue(projector.awaitProjected(last, Duration.ofSeconds(10)), "projected " + projector.projectedIndex());
    assertEquals(30, one("SELECT COUNT(*) FROM api_requests"));
    // live from then on
    long next = append(requests("b", 30, 1));
    assertTrue(projector.awaitProjected(next, Duration.ofSeconds(10)));
    assertEquals(31, one("SELECT requests FROM sessions WHERE session_id = 'b'"));
  }

  @Test
  void aBackfillThatNeverEndsHoldsTheProjectorOnlyForItsBound() throws Exception {
    openAfter(new CompletableFuture<>(), Duration.ofMillis(300));
    long index = append(requests("slow", 0, 5));
    assertTrue(projector.awaitProjected(index, Duration.ofSeconds(10)), "projected " + projector.projectedIndex());
    assertEquals(5, one("SELECT COUNT(*) FROM events"));
  }

  @Test
  void closingWhileTheProjectorWaitsForTheBackfillStopsAtOnce() {
    openAfter(new CompletableFuture<>(), Duration.ofHours(1));
    // the projector's thread is woken by close, not left to its 5 s join and an interrupt
    assertTimeout(Duration.ofSeconds(3), projector::close);
    assertEquals(-1, projector.projectedIndex());
  }

  @Test
  void aRestartResumesFromTheCommittedOffsetWithoutDuplicates() throws Exception {
    open();
    long last = 0;
    for (int doc = 0; doc < 5; doc++) {
      last = append(requests("r", doc * 10, 10));
    }
    assertTrue(projector.awaitProjected(last, Duration.ofSeconds(10)));
    assertEquals(last, one("SELECT queue_index FROM projection_offset"));
    assertEquals(50, one("SELECT events FROM projection_offset"));

    // the store goes down; the journal takes three more documents meanwhile
    projector.close();
    db.close();
    List<Long> laterIndexes = new ArrayList<>();
    for (int doc = 5; doc < 8; doc++) {
      laterIndexes.add(append(requests("r", doc * 10, 10)));
    }
    journal.close();

    // a new daemon: it reads its position from the store and projects only what came after it
    open();
    long end = laterIndexes.get(laterIndexes.size() - 1);
    assertTrue(projector.awaitProjected(end, Duration.ofSeconds(10)));
    assertEquals(30, projector.eventsApplied(), "only the three new documents");
    assertEquals(0, projector.duplicatesSkipped(), "nothing read twice");
    assertEquals(80, one("SELECT COUNT(*) FROM events"));
    assertEquals(80, one("SELECT COUNT(DISTINCT id) FROM events"));
    assertEquals(80, one("SELECT COUNT(*) FROM api_requests"));
    assertEquals(80, one("SELECT requests FROM sessions WHERE session_id = 'r'"));
    assertEquals(end, one("SELECT queue_index FROM projection_offset"));
    assertEquals(80, one("SELECT events FROM projection_offset"));
    assertTrue(end > last);
  }

  @Test
  void anEventAlreadyProjectedIsSkipped() throws Exception {
    open();
    List<Event> firstDoc = requests("d", 0, 3);
    long a = append(firstDoc);
    assertTrue(projector.awaitProjected(a, Duration.ofSeconds(10)));
    // the same line read again (a re-read after a crash, a rewritten file): same id, and this copy
    // even claims more tokens; plus one new event, and one duplicated inside the document itself
    Event again = firstDoc.get(1).toBuilder().usage(new dev.loopwatch.daemon.event.Usage(999, 999, 0, 0, 0, 0)).build();
    Event fresh = requests("d", 3, 1).get(0);
    long b = append(List.of(again, fresh, fresh));
    assertTrue(projector.awaitProjected(b, Duration.ofSeconds(10)));
    assertEquals(2, projector.duplicatesSkipped());
    assertEquals(4, projector.eventsApplied());
    assertEquals(4, one("SELECT COUNT(*) FROM events"));
    assertEquals(4, one("SELECT COUNT(*) FROM api_requests"));
    assertEquals(10, one("SELECT input FROM api_requests WHERE message_id = 'msg_d_1'"), "the event was not applied again");
    assertEquals(4, one("SELECT events FROM projection_offset"));
    assertEquals(b, one("SELECT queue_index FROM projection_offset"));
  }

  @Test
  void aRebuildWhileDocumentsAreAppendedEndsWithEveryEventOnce() throws Exception {
    open();
    long before = 0;
    for (int doc = 0; doc < 20; doc++) {
      before = append(requests("before", doc * 25, 25));
    }
    assertTrue(projector.awaitProjected(before, Duration.ofSeconds(30)));
    assertEquals(500, one("SELECT COUNT(*) FROM events"));

    // an ingest appends 300 documents back to back; the rebuild is asked for after the fifth
    List<Long> indexes = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
      try {
        for (int doc = 0; doc < 300; doc++) {
          indexes.add(append(requests("during", doc * 5, 5)));
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return indexes.get(indexes.size() - 1);
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> indexes.size() >= 5);
    int atRequest = indexes.size();
    long rebuilt = projector.rebuild().get(60, TimeUnit.SECONDS);
    long last = writer.get(60, TimeUnit.SECONDS);
    assertTrue(rebuilt >= 500 + 5L * atRequest, "the replay covered what was journaled when it was asked for: " + rebuilt);
    assertTrue(projector.awaitProjected(last, Duration.ofSeconds(60)));

    assertEquals(2000, one("SELECT COUNT(*) FROM events"));
    assertEquals(2000, one("SELECT COUNT(DISTINCT id) FROM events"));
    assertEquals(2000, one("SELECT COUNT(*) FROM api_requests"));
    assertEquals(500, one("SELECT requests FROM sessions WHERE session_id = 'before'"));
    assertEquals(1500, one("SELECT requests FROM sessions WHERE session_id = 'during'"));
    assertEquals(2000, one("SELECT SUM(requests) FROM usage_buckets"));
    assertEquals(2000, one("SELECT SUM(requests) FROM session_usage"));
    assertEquals(2000, one("SELECT events FROM projection_offset"), "the count restarted with the rebuild");
    assertEquals(last, one("SELECT queue_index FROM projection_offset"));
  }

  /**
   * A rebuild is done once it has replayed what was journaled when it was asked for, even when the
   * ingest never pauses (a big backfill): it used to wait for a moment with nothing new to read.
   */
  @Test
  void aRebuildEndsEvenWhileTheJournalNeverGoesIdle() throws Exception {
    open();
    long before = append(requests("before", 0, 100));
    assertTrue(projector.awaitProjected(before, Duration.ofSeconds(30)));
    AtomicInteger appended = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        for (int doc = 0; !stop.get(); doc++) {
          append(requests("busy", doc, 1));
          appended.incrementAndGet();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> appended.get() >= 5);
      long rebuilt = projector.rebuild().get(60, TimeUnit.SECONDS);
      assertTrue(rebuilt >= 105, "replayed " + rebuilt);
      assertTrue(!writer.isDone(), "the ingest was still appending");
    } finally {
      stop.set(true);
      writer.get(30, TimeUnit.SECONDS);
    }
    // whatever is committed at any moment is consistent: each event once, each with its request, and
    // the offset's count equal to the rows (one statement, one snapshot)
    assertEquals(0, one("SELECT (SELECT COUNT(*) FROM events) - (SELECT events FROM projection_offset)"));
    assertEquals(0, one("SELECT (SELECT COUNT(*) FROM events) - (SELECT COUNT(*) FROM api_requests)"));
  }
}
