package dev.loopwatch.daemon;

import dev.loopwatch.daemon.config.ConfigException;
import dev.loopwatch.daemon.config.ConfigLoader;
import dev.loopwatch.daemon.config.ConfigWatcher;
import dev.loopwatch.daemon.config.LoopwatchConfig;
import dev.loopwatch.daemon.ingest.IngestService;
import dev.loopwatch.daemon.journal.Journal;
import dev.loopwatch.daemon.journal.JournalRetention;
import dev.loopwatch.daemon.pricing.PriceBook;
import dev.loopwatch.daemon.pricing.PriceTable;
import dev.loopwatch.daemon.pricing.TablePricer;
import dev.loopwatch.daemon.store.Database;
import dev.loopwatch.daemon.store.Projector;
import dev.loopwatch.daemon.store.query.Queries;
import dev.loopwatch.daemon.server.Backfill;
import dev.loopwatch.daemon.server.DaemonStatus;
import dev.loopwatch.daemon.server.DaemonView;
import dev.loopwatch.daemon.server.RequestDispatcher;
import dev.loopwatch.daemon.server.SocketServer;
import dev.loopwatch.daemon.journal.JournalBatch;
import dev.loopwatch.daemon.ingest.WatchedRoot;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component with its constructor (no I/O there), starts them in
 * dependency order and stops them in reverse. Reads like the data flow of DESIGN §2: journal, then the
 * store that projects it, and the ingest that feeds it. Stopping reverses that: nothing is read that
 * cannot be journaled, nothing is journaled that the projector cannot see again after a restart.
 */
public final class Daemon implements AutoCloseable, DaemonView {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);
  private static final Duration CONFIG_POLL = Duration.ofSeconds(2);
  /**
   * How long the projector leaves the cores to the start-up backfill at most (see
   * {@link Projector#startAfter}): a restart's backfill takes well under a second, a first one of 566 MiB
   * of transcripts (store-benchmark.sh's 10x history) about 10 s here; a bigger one is projected alongside
   * from then on.
   */
  private static final Duration BACKFILL_FIRST = Duration.ofSeconds(60);

  private final LoopwatchConfig config;
  private final Journal journal;
  private final IngestService ingest;
  private final Database database;
  private final Projector projector;
  private final JournalRetention retention;
  private final PriceBook prices;
  private final Queries queries;
  private final ConfigWatcher<LoopwatchConfig> configWatcher;
  private final ConfigWatcher<PriceTable> priceWatcher;
  private final SocketServer server;
  private final String machine;
  private final Clock clock;
  private final long startedNanos = System.nanoTime();
  /**
   * The journal index that holds the last of the files present at start, once the ingest has journaled
   * them all; the store holds that history when it has projected this far.
   */
  private volatile long startupEnd = Long.MAX_VALUE;
  private volatile Instant lastRetention;
  private volatile String lastRetentionOutcome;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile LoopwatchConfig current;
  private ScheduledExecutorService housekeeping;

  /**
   * @param configFile the file to watch for changes, or {@code null} for none
   * @param priceOverrides the user's price file (optional, watched too)
   */
  public Daemon(
      LoopwatchConfig config, ConfigLoader loader, Path configFile, Path priceOverrides, String machine, Clock clock) {
    this.config = config;
    this.current = config;
    this.machine = machine;
    this.clock = clock;
    this.journal = new Journal(config.state().journalDir());
    this.ingest = new IngestService(config, journal, machine, clock);
    this.journal.addCommitListener(ingest::committed);
    this.ingest.backfillJournaled().thenRun(this::announceStoreCaughtUp);
    this.database = new Database(config.state().storeFile());
    this.prices = new PriceBook(priceOverrides);
    TablePricer pricer = new TablePricer(prices::table);
    this.projector = new Projector(journal, database, pricer::splitFor, clock);
    this.queries = new Queries(database, pricer);
    this.retention =
        new JournalRetention(
            journal, () -> current.journal().retentionDays(), List.of(projector::projectedIndex), clock);
    this.configWatcher =
        configFile == null
            ? null
            : new ConfigWatcher<>(configFile, f -> loader.load(f, false), CONFIG_POLL, this::reconfigure);
    this.priceWatcher =
        priceOverrides == null ? null : new ConfigWatcher<>(priceOverrides, prices::reload, CONFIG_POLL, prices::use);
    this.server =
        new SocketServer(
            config.socket().path(),
            config.socket().maxRequestBytes(),
            config.socket().readTimeout(),
            new RequestDispatcher(this, clock),
            clientSettings(config));
  }

  private static SocketServer.ClientSettings clientSettings(LoopwatchConfig config) {
    return new SocketServer.ClientSettings(
        config.hook().sessionStartDeadline().toMillis(), config.hook().deadline().toMillis(),
        config.socket().maxRequestBytes());
  }

  public void start() {
    long t0 = System.nanoTime();
    server.refuseIfRunning();
    createPrivateDir(config.state().dir());
    try {
      prices.load();
    } catch (ConfigException e) {
      throw new IllegalStateException("the built-in price table does not load: " + e.getMessage(), e);
    }
    journal.start();
    started.push(journal);
    // The ingest needs only the journal: its workers read while H2 opens and migrates on this thread
    // (about a third of a second); the projector then waits for that start-up backfill to be journaled.
    ingest.start();
    started.push(ingest::close);
    database.start();
    started.push(database);
    projector.startAfter(ingest.backfillJournaled(), BACKFILL_FIRST);
    started.push(projector);
    housekeeping =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "journal-retention");
              t.setDaemon(true);
              return t;
            });
    housekeeping.scheduleWithFixedDelay(this::runRetention, 1, 24 * 60, TimeUnit.MINUTES);
    started.push(housekeeping::shutdownNow);
    if (configWatcher != null) {
      configWatcher.start();
      started.push(configWatcher);
    }
    if (priceWatcher != null) {
      priceWatcher.start();
      started.push(priceWatcher);
    }
    server.start();
    started.push(server);
    log.info(
        "loopwatchd ready in {} ms: listening on {}, watching {}, state in {}",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), server.path(), config.claude().homes(),
        config.state().dir());
  }

  public IngestService ingest() {
    return ingest;
  }

  public Journal journal() {
    return journal;
  }

  public Database database() {
    return database;
  }

  public Projector projector() {
    return projector;
  }

  public PriceBook prices() {
    return prices;
  }

  public LoopwatchConfig config() {
    return current;
  }

  private void reconfigure(LoopwatchConfig next) {
    if (!next.state().equals(current.state()) || !next.claude().equals(current.claude())) {
      log.warn("config - changes to state.dir and claude.home take effect at the next start");
    }
    if (!next.socket().equals(current.socket())) {
      log.warn("config - changes to socket.* take effect at the next start");
    }
    if (!next.hook().equals(current.hook())) {
      // the client reads its deadlines from client.properties on every run
      server.clientSettings(clientSettings(next));
    }
    ingest.reconfigure(next);
    current = next;
  }

  private void runRetention() {
    lastRetention = clock.instant();
    try {
      int deleted = retention.run();
      lastRetentionOutcome = "ok: " + deleted + " cycle files deleted";
    } catch (RuntimeException e) {
      lastRetentionOutcome = "failed: " + e;
      log.warn("journal - retention run failed: {}", e.toString());
    }
  }

  /**
   * Once the backfill is journaled, waits (off the ingest's threads) until the store has projected it
   * too and says so: from then on every question about the files present at start is answered exactly.
   */
  private void announceStoreCaughtUp() {
    long target = journal.lastIndex();
    startupEnd = target;
    Thread t =
        new Thread(
            () -> {
              try {
                if (projector.awaitProjected(target, Duration.ofHours(6))) {
                  log.info(
                      "store caught up: events={} duplicates={} in {} ms",
                      projector.eventsApplied(), projector.duplicatesSkipped(),
                      TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "store-catchup-watch");
    t.setDaemon(true);
    t.start();
  }

  // ------------------------------------------------------------------ what the socket server sees

  @Override
  public String version() {
    String v = Daemon.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String machine() {
    return machine;
  }

  @Override
  public Queries queries() {
    return queries;
  }

  @Override
  public CompletableFuture<Long> rebuild() {
    return projector.rebuild();
  }

  @Override
  public void append(JournalBatch batch) throws InterruptedException {
    journal.append(batch);
  }

  @Override
  public void deadLetter(String source, String text, String reason) {
    ingest.deadLetter(source, text, reason);
  }

  @Override
  public int maxContextChars() {
    return current.hook().maxContextChars();
  }

  @Override
  public Backfill backfill() {
    long projected = projector.projectedIndex();
    boolean historyStored = projected >= startupEnd; // a rebuild's replay starts below it again
    if (historyStored && !projector.rebuilding()) {
      return null; // every live query after start-up: no journal count
    }
    long toProject = journal.countAfter(projected);
    if (historyStored && toProject == 0) {
      return null; // the rebuild has replayed everything; its future completes a moment later
    }
    return new Backfill(ingest.isCaughtUp() ? 0 : ingest.backlog(), toProject);
  }

  @Override
  public DaemonStatus status() {
    var stats = ingest.stats();
    long projected = projector.projectedIndex();
    Instant nextRetention = lastRetention == null ? null : lastRetention.plus(Duration.ofDays(1));
    return new DaemonStatus(
        version(),
        ProcessHandle.current().pid(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos),
        server.path().toString(),
        new DaemonStatus.Ingest(
            ingest.isCaughtUp(), ingest.backlog(),
            ingest.roots().stream().map(WatchedRoot::dir).map(Path::toString).toList(),
            ingest.deadLetterFile().toString(), stats),
        new DaemonStatus.Journal(
            journal.dir().toString(), journal.lastIndex(), journal.documents(), journal.eventsAppended(),
            journal.backlog(), journal.diskBytes()),
        new DaemonStatus.Store(
            database.file() + ".mv.db", projected, projector.eventsApplied(), projector.caughtUp(),
            journal.countAfter(projected),
            projector.lastCommitMillis() == 0 ? null : Instant.ofEpochMilli(projector.lastCommitMillis()),
            database.file().resolveSibling(database.file().getFileName() + ".mv.db").toFile().length()),
        List.of(new DaemonStatus.Job("journal-retention", "1 min after start, then every 24 h", lastRetention,
            lastRetentionOutcome, nextRetention)));
  }

  /** Blocks until {@link #close()} finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Stops everything in reverse start order; the ingest's checkpoints are flushed last. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    log.info("loopwatchd stopping");
    while (!started.isEmpty()) {
      AutoCloseable c = started.pop();
      try {
        c.close();
      } catch (Exception e) {
        log.warn("error while stopping: {}", e.toString());
      }
    }
    ingest.flushCheckpoints();
    log.info("loopwatchd stopped");
    stopped.countDown();
  }

  private static void createPrivateDir(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create state directory " + dir, e);
    }
  }
}
