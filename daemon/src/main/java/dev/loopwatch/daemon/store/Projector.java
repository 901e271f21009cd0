package dev.loopwatch.daemon.store;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.journal.Journal;
import dev.loopwatch.daemon.journal.JournalEntry;
import dev.loopwatch.daemon.journal.JournalReader;
import dev.loopwatch.daemon.pricing.TierSplit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the journal and projects it into the store (DESIGN §6), on its own thread
 * ({@code store-projector}). Documents are applied in batches, and the journal index of the last
 * applied document is written in the SAME transaction as the rows: after a crash (H2 drops its last
 * ~0.5 s of commits on {@code kill -9}) the projector resumes exactly where the committed rows end.
 * Re-applying a document is harmless anyway: events are deduplicated by id.
 */
public final class Projector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Projector.class);
  private static final String NAME = "main";
  private static final int BATCH_EVENTS = 5000;
  private static final Duration IDLE_WAIT = Duration.ofMillis(200);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration RECOMPUTE_WHILE_BEHIND = Duration.ofSeconds(5);

  /** The tables the projection owns; a rebuild empties them. */
  static final List<String> TABLES =
      List.of(
          "events", "sessions", "api_requests", "usage_buckets", "usage_days", "usage_totals",
          "session_usage", "tool_calls", "failures",
          "file_touches", "subagents", "outcome_files", "projection_offset");

  private final Journal journal;
  private final Database db;
  private final Clock clock;
  private final Function<String, TierSplit> splitter;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong projectedIndex = new AtomicLong(-1);
  private final AtomicLong eventsApplied = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Object progress = new Object();
  private volatile CompletableFuture<Long> rebuildRequest;
  private volatile long lastCommitMillis;
  private long lastRecompute;
  private Thread thread;
  private CompletionStage<?> backfill;
  private Duration backfillWait;

  /** @param splitter each model's long-context tier split, from the price table */
  public Projector(Journal journal, Database db, Function<String, TierSplit> splitter, Clock clock) {
    this.journal = journal;
    this.db = db;
    this.splitter = splitter;
    this.clock = clock;
  }

  /**
   * Starts projecting once {@code backfill} completes (the ingest has journaled every file present at
   * start), or after {@code atMost} if it has not by then. Capture comes first: until a line is in the
   * journal it can still be lost to a rotation, a truncation or a deletion, while a journaled event waits
   * safely for its projection. On two cores the projection competing with the start-up backfill made
   * the backfill take 1.4x (120 MiB) to 2x (566 MiB) as long and brought the store no sooner to "caught
   * up" (ingest-benchmark.sh, store-benchmark.sh); once live, the ingest is idle and the projector follows
   * the journal at once.
   */
  public void startAfter(CompletionStage<?> backfill, Duration atMost) {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    this.backfill = backfill;
    this.backfillWait = atMost;
    backfill.whenComplete((v, e) -> wake());
    thread = new Thread(this::run, "store-projector");
    thread.setDaemon(true);
    thread.start();
  }

  /** The journal index of the last document whose rows are committed; -1 before the first. */
  public long projectedIndex() {
    return projectedIndex.get();
  }

  public long eventsApplied() {
    return eventsApplied.get();
  }

  public long duplicatesSkipped() {
    return duplicates.get();
  }

  public long failures() {
    return failures.get();
  }

  public long lastCommitMillis() {
    return lastCommitMillis;
  }

  /** Whether a rebuild was asked for and has not finished. */
  public boolean rebuilding() {
    CompletableFuture<Long> r = rebuildRequest;
    return r != null && !r.isDone();
  }

  /** Whether everything journaled so far is projected. */
  public boolean caughtUp() {
    return projectedIndex.get() >= journal.lastIndex();
  }

  /** Waits until the document at {@code index} (or a later one) is projected; false on timeout. */
  public boolean awaitProjected(long index, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (projectedIndex.get() < index) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || closed.get()) {
          return projectedIndex.get() >= index;
        }
        progress.wait(left);
      }
    }
    return true;
  }

  /**
   * Drops the projection and replays the whole journal. The future completes with the number of
   * events projected once the replay has caught up with what was journaled when it was asked for.
   */
  public CompletableFuture<Long> rebuild() {
    synchronized (this) {
      if (rebuildRequest == null || rebuildRequest.isDone()) {
        rebuildRequest = new CompletableFuture<>();
      }
      CompletableFuture<Long> f = rebuildRequest;
      wake();
      return f;
    }
  }

  private void wake() {
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  /** Waits for the start-up backfill to be journaled; false when closed meanwhile. */
  private boolean awaitBackfill() {
    long deadline = System.nanoTime() + backfillWait.toNanos();
    CompletableFuture<?> done = backfill.toCompletableFuture();
    synchronized (progress) {
      while (!done.isDone() && !closed.get()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          log.info("store - the start-up backfill is still being journaled after {} s; projecting alongside it",
              backfillWait.toSeconds());
          break;
        }
        try {
          progress.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return !closed.get();
  }

  private void run() {
    if (!awaitBackfill()) {
      return;
    }
    while (!closed.get()) {
      try (Connection c = db.connection()) {
        c.setAutoCommit(false);
        CompletableFuture<Long> rebuild = rebuildRequest;
        long target = -1;
        if (rebuild != null && !rebuild.isDone()) {
          target = journal.lastIndex();
          clear(c);
          c.commit();
          log.info("store - rebuilding: projection dropped, replaying the journal");
        }
        long offset = readOffset(c);
        c.commit();
        projectedIndex.set(offset);
        follow(c, offset, rebuild, target);
      } catch (SQLException | RuntimeException e) {
        if (closed.get()) {
          return;
        }
        failures.incrementAndGet();
        log.warn("store - projection failed ({}); retrying from the last committed position", e.toString());
        sleep(RETRY);
      }
    }
  }

  /** Applies documents after {@code offset} until closed or a rebuild is requested. */
  private void follow(Connection c, long offset, CompletableFuture<Long> rebuild, long rebuildTarget)
      throws SQLException {
    Projection projection = new Projection(splitter, clock.getZone());
    if (projection.prepare(c)) {
      log.info("store - usage sums by day (in {}) and over all time made from the 15-minute sums", clock.getZone().getId());
    }
    c.commit();
    long rebuiltEvents = 0;
    JournalReader reader;
    try {
      reader = journal.reader(offset);
    } catch (IllegalStateException lost) {
      log.warn("store - {}; rebuilding the projection from the journal", lost.getMessage());
      rebuild();
      return;
    }
    try (reader) {
      while (!closed.get()) {
        CompletableFuture<Long> pending = rebuildRequest;
        if (pending != null && !pending.isDone() && pending != rebuild) {
          return; // a new rebuild request: start over
        }
        long seen = journal.documents();
        List<Event> events = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        long last = -1;
        for (JournalEntry entry; events.size() < BATCH_EVENTS && (entry = reader.next()) != null; ) {
          for (Event e : entry.events()) {
            events.add(e);
            indexes.add(entry.index());
          }
          last = entry.index();
        }
        if (last < 0) {
          finishRebuild(rebuild, rebuildTarget, projectedIndex.get(), rebuiltEvents);
          try {
            journal.awaitAppend(seen, IDLE_WAIT.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          continue;
        }
        Projection.Applied applied;
        long nowMillis = clock.millis();
        // Sessions' counters and outcomes are recomputed when caught up, and every few seconds while
        // behind: during a backfill each session is then recomputed about once, not once per batch.
        boolean recompute = last >= journal.lastIndex() || nowMillis - lastRecompute >= RECOMPUTE_WHILE_BEHIND.toMillis();
        try {
          applied = projection.apply(c, events, indexes, recompute);
          writeOffset(c, last, applied.events());
          c.commit();
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
        if (recompute) {
          lastRecompute = nowMillis;
        }
        rebuiltEvents += applied.events();
        eventsApplied.addAndGet(applied.events());
        duplicates.addAndGet(applied.duplicates());
        lastCommitMillis = clock.millis();
        synchronized (progress) {
          projectedIndex.set(last);
          progress.notifyAll();
        }
        finishRebuild(rebuild, rebuildTarget, last, rebuiltEvents);
      }
    }
  }

  /**
   * Completes a rebuild once it has projected what was journaled when it was asked for: done even if the
   * ingest keeps appending (waiting for a moment without new documents could wait forever).
   */
  private static void finishRebuild(CompletableFuture<Long> rebuild, long target, long projected, long events) {
    if (rebuild != null && !rebuild.isDone() && projected >= target) {
      log.info("store - rebuild done: {} events", events);
      rebuild.complete(events);
    }
  }

  private static long readOffset(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT queue_index FROM projection_offset WHERE name = ?")) {
      ps.setString(1, NAME);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  private void writeOffset(Connection c, long index, int events) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "MERGE INTO projection_offset t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS BIGINT),"
                + " CAST(? AS BIGINT), CAST(? AS BIGINT))) AS s(name, idx, n, at) ON t.name = s.name"
                + " WHEN MATCHED THEN UPDATE SET queue_index = s.idx, events = t.events + s.n, updated_at = s.at"
                + " WHEN NOT MATCHED THEN INSERT (name, queue_index, events, updated_at) VALUES (s.name, s.idx, s.n, s.at)")) {
      ps.setString(1, NAME);
      ps.setLong(2, index);
      ps.setLong(3, events);
      ps.setLong(4, clock.millis());
      ps.executeUpdate();
    }
  }

  private static void clear(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String table : TABLES) {
        s.execute("TRUNCATE TABLE " + table);
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (!started.get() || !closed.compareAndSet(false, true)) {
      return;
    }
    wake();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("store - projector did not stop in time");
      thread.interrupt();
    }
    CompletableFuture<Long> r = rebuildRequest;
    if (r != null) {
      r.completeExceptionally(new IllegalStateException("the daemon is stopping"));
    }
  }
}
