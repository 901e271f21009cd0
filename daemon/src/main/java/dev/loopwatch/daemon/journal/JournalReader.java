package dev.loopwatch.daemon.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A reader that follows the journal from a position, for one thread (Chronicle tailers are
 * single-threaded). Used by the store's projector, which keeps its own position in its database.
 */
public final class JournalReader implements AutoCloseable {
  private final ExcerptTailer tailer;

  JournalReader(ExcerptTailer tailer) {
    this.tailer = tailer;
  }

  /** The next document with its events, or {@code null} when the reader is at the end for now. */
  public JournalEntry next() {
    try (DocumentContext dc = tailer.readingDocument()) {
      if (!dc.isPresent()) {
        return null;
      }
      return DocumentCodec.read(dc.index(), dc.wire().bytes(), true);
    }
  }

  @Override
  public void close() {
    tailer.close();
  }
}
