package dev.loopwatch.daemon.journal;

import dev.loopwatch.daemon.event.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Events to append together with the reader positions ("marks") that say how far their sources have
 * been read. Marks and events land in ONE journal document, so a crash can never keep one without the
 * other: after a restart, reading resumes exactly after the last appended line.
 *
 * @param marks opaque, self-describing records owned by the producer (ingest checkpoints as JSON)
 * @param events the events, in source order
 * @param committed completed with the journal index of the document once it is appended
 * @param previous the producer's previous batch, or {@code null}: if that one failed, this one is not
 *     written either, so a later checkpoint can never commit over lost events
 */
public record JournalBatch(
    List<byte[]> marks, List<Event> events, CompletableFuture<Long> committed, CompletableFuture<Long> previous) {

  public JournalBatch {
    marks = List.copyOf(marks);
    events = List.copyOf(events);
  }

  public static JournalBatch of(List<byte[]> marks, List<Event> events) {
    return new JournalBatch(marks, events, new CompletableFuture<>(), null);
  }

  public static JournalBatch after(CompletableFuture<Long> previous, List<byte[]> marks, List<Event> events) {
    return new JournalBatch(marks, events, new CompletableFuture<>(), previous);
  }

  boolean predecessorFailed() {
    return previous != null && previous.isCompletedExceptionally();
  }
}
