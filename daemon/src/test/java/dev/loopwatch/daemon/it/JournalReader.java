package dev.loopwatch.daemon.it;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import dev.loopwatch.daemon.journal.Journal;
import dev.loopwatch.daemon.journal.JournalBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads the daemon's journal from this JVM with the daemon's own {@link Journal} (Chronicle supports
 * readers in other processes, also while the daemon appends or after it was killed). Incremental: each
 * {@link #poll} hands over the events of the documents appended since the previous one, so a
 * {@link Tally} fed by polls sees every journaled event exactly as often as it is in the journal.
 */
final class JournalReader implements AutoCloseable {
  private static volatile boolean warm;

  private final Path dir;
  private Journal journal;
  private long last = -1;
  private long documents;

  JournalReader(Path dir) {
    this.dir = dir;
  }

  /** Feeds the events of every document appended since the last call; returns how many were fed. */
  synchronized long poll(Consumer<Event> sink) {
    if (journal == null) {
      if (!Files.isRegularFile(dir.resolve("metadata.cq4t"))) {
        return 0; // not created yet: opening it here would create it
      }
      journal = new Journal(dir);
      journal.start();
    }
    long[] fed = {0};
    last =
        journal.replay(
            last,
            true,
            entry -> {
              documents++;
              for (Event e : entry.events()) {
                sink.accept(e);
                fed[0]++;
              }
            });
    return fed[0];
  }

  long documents() {
    return documents;
  }

  /** Every event of the journal at {@code dir}, read with a fresh reader. */
  static void readAll(Path dir, Consumer<Event> sink) {
    try (JournalReader r = new JournalReader(dir)) {
      r.poll(sink);
    }
  }

  /**
   * Opens, writes and reads a scratch journal once per JVM, so that Chronicle's start-up (class loading,
   * first mappings) is not paid in the middle of a test that must observe a fast daemon in time.
   */
  static synchronized void warmUp() {
    if (warm) {
      return;
    }
    try {
      Path scratch = Files.createTempDirectory("lw-it-warmup");
      try (Journal j = new Journal(scratch.resolve("journal"))) {
        j.start();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          events.add(Event.builder(EventKind.RAW, "jsonl").id("w" + i).ts(Instant.EPOCH).ingestedAt(Instant.EPOCH)
              .attr("f", "warm").attr("n", Integer.toString(i)).build());
        }
        JournalBatch batch = JournalBatch.of(List.of(), events);
        j.append(batch);
        batch.committed().get(30, TimeUnit.SECONDS);
        Tally t = Tally.perLine();
        j.replay(-1, true, e -> e.events().forEach(t));
      } finally {
        try (Stream<Path> files = Files.walk(scratch)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      warm = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("warming up the journal reader failed", e);
    }
  }

  @Override
  public synchronized void close() {
    if (journal != null) {
      journal.close();
      journal = null;
    }
  }
}
