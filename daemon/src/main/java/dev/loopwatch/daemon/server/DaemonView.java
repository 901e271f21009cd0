package dev.loopwatch.daemon.server;

import dev.loopwatch.daemon.journal.JournalBatch;
import dev.loopwatch.daemon.store.query.Queries;
import java.util.concurrent.CompletableFuture;

/** What the socket server may see and do of the daemon (the composition root implements it). */
public interface DaemonView {
  String version();

  String machine();

  DaemonStatus status();

  Queries queries();

  /**
   * What the store still lacks of the history present at start, or of a rebuild; {@code null} once it
   * holds all of it (from then on, answers are complete up to the last few milliseconds of live lines).
   */
  Backfill backfill();

  /** Drops the projection and replays the journal; completes with the number of events projected. */
  CompletableFuture<Long> rebuild();

  /** Appends events from outside the ingest (hooks) to the journal. */
  void append(JournalBatch batch) throws InterruptedException;

  /** Records input that could not be used, as the ingest records bad lines. */
  void deadLetter(String source, String text, String reason);

  int maxContextChars();
}
