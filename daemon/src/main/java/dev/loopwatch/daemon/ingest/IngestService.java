package dev.loopwatch.daemon.ingest;

import dev.loopwatch.daemon.config.LoopwatchConfig;
import dev.loopwatch.daemon.config.LoopwatchConfig.IngestConfig;
import dev.loopwatch.daemon.ingest.BatchWriter.JournalWriteException;
import dev.loopwatch.daemon.journal.Journal;
import dev.loopwatch.daemon.journal.JournalBatch;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest: watches the roots, rescans them, and has worker threads read every changed source file
 * into the journal (DESIGN §2, §4). Owns the checkpoint book, which the journal's writer thread updates
 * as documents are committed.
 *
 * <p>Threads: {@code ingest-worker-N} (read and parse), {@code ingest-watcher-N} (inotify),
 * {@code ingest-scheduler} (rescans, idle handle closing, watcher rebuilds).
 */
public final class IngestService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngestService.class);
  private static final Duration SNAPSHOT_EVERY = Duration.ofSeconds(5);
  private static final Duration WORKER_STOP = Duration.ofSeconds(5);

  private final Journal journal;
  private final IngestConfig config;
  private final String machine;
  private final Clock clock;
  private final CheckpointBook book;
  private final RootSet roots;
  private final DirtyQueue queue = new DirtyQueue();
  private final IdentityLocks identityLocks = new IdentityLocks();
  private final OpenFiles openFiles;
  private final DeadLetters deadLetters;
  private final IngestCounters counters = new IngestCounters();
  private final RootScanner scanner;
  private final FileWatcher watcher;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean rescanPending = new AtomicBoolean();
  private final AtomicBoolean initialScanDone = new AtomicBoolean();
  private final AtomicBoolean caughtUp = new AtomicBoolean();
  private final AtomicLong lagBytes = new AtomicLong();
  private final List<Thread> workers = new ArrayList<>();
  private volatile long startNanos;
  private volatile long lastSnapshotMillis;
  private volatile Duration rescanInterval;
  private final CompletableFuture<Void> backfillJournaled = new CompletableFuture<>();
  private ScheduledExecutorService scheduler;
  private ScheduledFuture<?> rescanTask;

  public IngestService(LoopwatchConfig config, Journal journal, String machine, Clock clock) {
    this.journal = journal;
    this.config = config.ingest();
    this.machine = machine;
    this.clock = clock;
    this.rescanInterval = config.ingest().rescanInterval();
    Path ingestDir = config.state().ingestDir();
    this.book = new CheckpointBook(ingestDir.resolve("checkpoints.json"));
    this.roots =
        new RootSet(config.claude().homes(), config.projects().roots(), config.projects().discoverFromTranscripts());
    this.openFiles = new OpenFiles(this.config.maxOpenFiles(), this.config.idleCloseAfter().toMillis());
    this.deadLetters = new DeadLetters(config.state().dir().resolve("dead-letters.jsonl"), clock);
    this.scanner = new RootScanner(roots, book, new HashSet<>(this.config.excludeDirs()));
    this.watcher = new FileWatcher(new WatcherHints(), new HashSet<>(this.config.excludeDirs()));
  }

  /**
   * The journal's commit listener: applies the document's marks to the book (on the writer thread, in
   * index order) and snapshots the book now and then. Wired by the composition root.
   */
  public void committed(JournalBatch batch, long index) {
    long now = clock.millis();
    // Snapshot only between documents: one document carries several batches, and a snapshot taken after
    // the first of them would claim the whole document, so a restart would skip the others' marks.
    if (index != book.appliedIndex() && now - lastSnapshotMillis >= SNAPSHOT_EVERY.toMillis()) {
      snapshot(now);
    }
    book.apply(batch.marks(), index);
  }

  /**
   * Restores the state that matches the journal, then starts watching, scanning and reading. The
   * journal must be started.
   */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    startNanos = System.nanoTime();
    restore();
    for (String p : book.projects()) {
      roots.addProject(p);
    }
    for (int i = 0; i < config.workers(); i++) {
      Thread t = new Thread(this::workLoop, "ingest-worker-" + (i + 1));
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ingest-scheduler");
              t.setDaemon(true);
              return t;
            });
    scheduler.execute(this::initialScan);
    scheduleRescans(rescanInterval);
  }

  private void restore() {
    long fromSnapshot = book.load();
    if (fromSnapshot >= 0 && !journal.contains(fromSnapshot)) {
      log.warn(
          "ingest - the journal does not hold the checkpoints' position {}; it was removed, so every file is read again",
          Long.toHexString(fromSnapshot));
      book.clear();
      fromSnapshot = -1;
    }
    long[] docs = {0};
    long last =
        journal.replay(
            fromSnapshot,
            false,
            entry -> {
              book.apply(entry.marks(), entry.index());
              docs[0]++;
            });
    log.info(
        "ingest - restored {} file checkpoints and {} projects ({} journal documents replayed after the snapshot, at {})",
        book.size(), book.projects().size(), docs[0], last < 0 ? "start" : Long.toHexString(last));
  }

  private void initialScan() {
    roots.refresh();
    watcher.watch(rootDirs());
    long lag = scanner.scan(queue::add);
    lagBytes.set(lag);
    counters.rescans.increment();
    initialScanDone.set(true);
    log.info("ingest - watching {} roots: {}", roots.current().size(), rootDirs());
    maybeCaughtUp();
  }

  private void scheduleRescans(Duration interval) {
    if (rescanTask != null) {
      rescanTask.cancel(false);
    }
    long ms = interval.toMillis();
    rescanTask = scheduler.scheduleWithFixedDelay(this::periodicRescan, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void periodicRescan() {
    try {
      rescanPending.set(false);
      if (roots.refresh() || !watcher.alive()) {
        counters.watcherResets.increment();
        watcher.watch(rootDirs());
      }
      lagBytes.set(scanner.scan(queue::add));
      counters.rescans.increment();
      openFiles.closeIdle(clock.millis());
    } catch (RuntimeException e) {
      log.warn("ingest - rescan failed: {}", e.toString());
    }
  }

  /** Asks for a rescan soon (coalesced), e.g. after a watcher overflow or a new project root. */
  private void requestRescan(String why) {
    if (closed.get() || scheduler == null) {
      return;
    }
    if (rescanPending.compareAndSet(false, true)) {
      log.debug("ingest - rescan requested: {}", why);
      scheduler.schedule(this::periodicRescan, 200, TimeUnit.MILLISECONDS);
    }
  }

  private void workLoop() {
    FileIngestor ingestor =
        new FileIngestor(
            book, roots, openFiles, journal, deadLetters, counters, machine, clock, config.batchMaxEvents(),
            config.batchMaxBytes(), config.maxLineBytes(), queue::add, identityLocks);
    while (!closed.get()) {
      Path path;
      try {
        path = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (path == null) {
        return;
      }
      boolean more = false;
      int projectsBefore = book.projects().size();
      try {
        more = ingestor.process(path);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (AccessDeniedException e) {
        counters.readErrors.increment();
        log.debug("ingest - {} not readable yet; retried at the next rescan", path);
      } catch (IOException e) {
        counters.readErrors.increment();
        log.warn("ingest - reading {} failed ({}); retried at the next rescan", path, e.toString());
      } catch (JournalWriteException e) {
        counters.readErrors.increment();
        log.warn("ingest - {} not journaled ({}); retried at the next rescan", path, e.getMessage());
      } catch (RuntimeException e) {
        counters.readErrors.increment();
        log.error("ingest - unexpected failure reading {}; retried at the next rescan", path, e);
      }
      if (roots.discoverFromTranscripts() && book.projects().size() != projectsBefore) {
        requestRescan("new project directory");
      }
      boolean idle = queue.done(path, more && !closed.get());
      if (idle) {
        maybeCaughtUp();
      }
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  private void maybeCaughtUp() {
    if (initialScanDone.get() && queue.idle() && caughtUp.compareAndSet(false, true)) {
      IngestStats s = stats();
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      log.info(
          "ingest caught up: files={} lines={} events={} bytes={} badLines={} in {} ms",
          book.active().size(), s.linesRead(), s.eventsProduced(), s.bytesRead(), s.badLines(), ms);
      backfillJournaled.complete(null);
    }
  }

  /**
   * Completes, on an ingest thread, when everything present at start is journaled; never completes when
   * the ingest is closed first.
   */
  public CompletionStage<Void> backfillJournaled() {
    return backfillJournaled;
  }

  /** True once everything present at start has been journaled. */
  public boolean isCaughtUp() {
    return caughtUp.get();
  }

  public IngestStats stats() {
    return counters.snapshot(book.active().size(), openFiles.size(), lagBytes.get());
  }

  /** Paths waiting or being read. */
  public int backlog() {
    return queue.size();
  }

  public List<WatchedRoot> roots() {
    return roots.current();
  }

  public Path deadLetterFile() {
    return deadLetters.file();
  }

  /** Records input from outside the files (a bad hook payload) in the dead-letter file. */
  public void deadLetter(String source, String text, String reason) {
    byte[] bytes = text == null ? new byte[0] : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    counters.badLines.increment();
    deadLetters.record(Path.of(source), 0, bytes.length, reason, bytes, 0, bytes.length);
  }

  /** Applies a reloaded configuration: project roots, discovery and the rescan interval. */
  public void reconfigure(LoopwatchConfig newConfig) {
    roots.reconfigure(newConfig.projects().roots(), newConfig.projects().discoverFromTranscripts());
    Duration interval = newConfig.ingest().rescanInterval();
    if (scheduler != null && !interval.equals(rescanInterval)) {
      rescanInterval = interval;
      scheduler.execute(() -> scheduleRescans(interval));
    }
    requestRescan("configuration reloaded");
  }

  private List<Path> rootDirs() {
    return roots.current().stream().map(WatchedRoot::dir).toList();
  }

  private void snapshot(long now) {
    try {
      book.snapshot(now, Duration.ofMillis(FileIngestor.ORPHAN_TTL_MILLIS));
      lastSnapshotMillis = now;
    } catch (IOException e) {
      log.warn("ingest - cannot write checkpoint snapshot ({}); the journal still has every position", e.toString());
    }
  }

  /**
   * Stops watching and reading: workers finish the batch in hand, then stop. Call before closing the
   * journal; call {@link #flushCheckpoints()} after it.
   */
  @Override
  public void close() {
    if (!started.get() || !closed.compareAndSet(false, true)) {
      return;
    }
    watcher.close();
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    queue.close();
    long deadline = System.nanoTime() + WORKER_STOP.toNanos();
    for (Thread t : workers) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        t.interrupt();
        log.warn("ingest - {} did not stop in time; interrupted", t.getName());
      }
    }
    openFiles.close();
  }

  /** Writes the final checkpoint snapshot; call after the journal writer has stopped. */
  public void flushCheckpoints() {
    if (started.get()) {
      snapshot(clock.millis());
    }
  }

  private final class WatcherHints implements FileWatcher.Hints {
    @Override
    public void changed(Path file) {
      queue.add(file);
    }

    @Override
    public void directoryGone(Path dir) {
      for (FileCheckpoint cp : book.active()) {
        if (cp.filePath().startsWith(dir)) {
          queue.add(cp.filePath());
        }
      }
    }

    @Override
    public void rescanNeeded(String why) {
      counters.watcherResets.increment();
      requestRescan(why);
    }
  }
}
