package dev.loopwatch.daemon.ingest;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.ingest.parse.EventSink;
import dev.loopwatch.daemon.journal.Journal;
import dev.loopwatch.daemon.journal.JournalBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Collects the events of one file's turn and hands them to the journal in batches, each with the
 * checkpoint that says how far the file was read (and any project directories discovered). Per file,
 * batches are appended in order; {@link #awaitCommitted()} waits for the last one.
 */
final class BatchWriter implements EventSink {
  private final Journal journal;
  private final CheckpointBook book;
  private final RootSet roots;
  private final IngestCounters counters;
  private final List<Event> events = new ArrayList<>();
  private final List<byte[]> marks = new ArrayList<>();
  private final Set<String> projectsPending = new HashSet<>();
  private CompletableFuture<Long> last;
  private long sourceBytes;

  BatchWriter(Journal journal, CheckpointBook book, RootSet roots, IngestCounters counters) {
    this.journal = journal;
    this.book = book;
    this.roots = roots;
    this.counters = counters;
  }

  @Override
  public void event(Event event) {
    events.add(event);
  }

  @Override
  public void projectSeen(Path projectDir) {
    if (!roots.discoverFromTranscripts() || !projectDir.isAbsolute()) {
      return;
    }
    String dir = projectDir.normalize().toString();
    if (!book.hasProject(dir) && projectsPending.add(dir)) {
      marks.add(IngestMarks.project(dir));
      roots.addProject(dir);
    }
  }

  void mark(byte[] mark) {
    marks.add(mark);
  }

  void lineConsumed(int bytes) {
    sourceBytes += bytes;
  }

  int pendingEvents() {
    return events.size();
  }

  long pendingBytes() {
    return sourceBytes;
  }

  /** Appends what was collected together with {@code checkpoint} (blocks while the journal is behind). */
  void flush(FileCheckpoint checkpoint) throws InterruptedException {
    if (checkpoint != null) {
      marks.add(IngestMarks.file(checkpoint));
    }
    if (marks.isEmpty() && events.isEmpty()) {
      return;
    }
    JournalBatch batch = JournalBatch.after(last, marks, events);
    journal.append(batch);
    counters.eventsProduced.add(events.size());
    last = batch.committed();
    marks.clear();
    events.clear();
    projectsPending.clear();
    sourceBytes = 0;
  }

  /** Waits until everything flushed so far is in the journal; throws if an append failed. */
  void awaitCommitted() throws InterruptedException, JournalWriteException {
    if (last == null) {
      return;
    }
    try {
      last.get();
    } catch (ExecutionException e) {
      throw new JournalWriteException(e.getCause());
    } finally {
      last = null;
    }
  }

  /** Drops what was collected but not flushed (the read is abandoned and will be redone). */
  void discard() {
    events.clear();
    marks.clear();
    projectsPending.clear();
    sourceBytes = 0;
  }

  /** The journal refused a batch: nothing after the last committed checkpoint counts as read. */
  static final class JournalWriteException extends Exception {
    private static final long serialVersionUID = 1L;

    JournalWriteException(Throwable cause) {
      super("journal append failed: " + cause, cause);
    }
  }
}
