package dev.loopwatch.daemon.journal;

import dev.loopwatch.daemon.event.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable source of truth: a Chronicle Queue rolled daily (DESIGN §5). One writer thread owns the
 * appender (Chronicle appenders are single-threaded); producers hand it {@link JournalBatch}es through
 * a bounded queue, which is the ingest's backpressure. Several batches waiting together are written as
 * one document. Commit listeners run on the writer thread in index order, so whoever tracks "what is
 * journaled" sees exactly the documents up to the index it is given.
 */
public final class Journal implements AutoCloseable {
  /** A listener told, on the writer thread and in order, of every appended batch and its index. */
  public interface CommitListener {
    void committed(JournalBatch batch, long index);
  }

  private static final Logger log = LoggerFactory.getLogger(Journal.class);
  private static final int MAX_DOCUMENT_BYTES = 8 << 20;
  private static final Duration DRAIN_ON_CLOSE = Duration.ofSeconds(5);
  private static final long SYNC_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Path dir;
  private final RollCycle rollCycle;
  private final TimeProvider timeProvider;
  private final BlockingQueue<JournalBatch> pending = new ArrayBlockingQueue<>(64);
  private final List<CommitListener> listeners = new ArrayList<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong documents = new AtomicLong();
  private final Object appendSignal = new Object();
  private final AtomicLong eventsAppended = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile long lastIndex = -1;
  private volatile SingleChronicleQueue queue;
  private Thread writer;

  public Journal(Path dir) {
    this(dir, RollCycles.FAST_DAILY, null);
  }

  /** For tests: another roll cycle or clock (to produce old cycles for retention). */
  Journal(Path dir, RollCycle rollCycle, TimeProvider timeProvider) {
    this.dir = dir;
    this.rollCycle = rollCycle;
    this.timeProvider = timeProvider;
  }

  /** Registers a listener; only before {@link #start()}. */
  public void addCommitListener(CommitListener listener) {
    if (started.get()) {
      throw new IllegalStateException("listeners are registered before start");
    }
    listeners.add(listener);
  }

  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(dir).rollCycle(rollCycle);
    if (timeProvider != null) {
      builder.timeProvider(timeProvider);
    }
    queue = builder.build();
    lastIndex = readLastIndex(queue);
    writer = new Thread(this::writeLoop, "journal-writer");
    writer.setDaemon(true);
    writer.start();
    log.info("journal - opened {} (last index {})", dir, lastIndex < 0 ? "none" : Long.toHexString(lastIndex));
  }

  /** Queues a batch for appending; blocks while the writer is behind (backpressure). */
  public void append(JournalBatch batch) throws InterruptedException {
    if (closed.get() || !started.get()) {
      throw new IllegalStateException("journal is not open");
    }
    pending.put(batch);
  }

  /** The index of the last document written, or -1 when the journal is empty. */
  public long lastIndex() {
    return lastIndex;
  }

  public Path dir() {
    return dir;
  }

  public long documents() {
    return documents.get();
  }

  public long eventsAppended() {
    return eventsAppended.get();
  }

  public long failures() {
    return failures.get();
  }

  /** Batches accepted but not yet written. */
  public int backlog() {
    return pending.size();
  }

  /**
   * Reads every document after {@code afterIndex} (or from the start when it is negative, or when that
   * document's cycle was deleted) on the calling thread, with its own tailer. Returns the index of the
   * last document read, or {@code afterIndex} when there was none.
   */
  public long replay(long afterIndex, boolean withEvents, Consumer<JournalEntry> consumer) {
    SingleChronicleQueue q = queue;
    if (q == null) {
      throw new IllegalStateException("journal is not open");
    }
    long last = afterIndex;
    try (ExcerptTailer tailer = q.createTailer()) {
      if (afterIndex >= 0 && tailer.moveToIndex(afterIndex)) {
        try (DocumentContext dc = tailer.readingDocument()) {
          // moveToIndex positions before afterIndex itself; that document was already seen
        }
      } else {
        tailer.toStart();
      }
      while (true) {
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) {
            break;
          }
          last = dc.index();
          consumer.accept(DocumentCodec.read(last, dc.wire().bytes(), withEvents));
        }
      }
    }
    return last;
  }

  /**
   * A reader positioned after {@code afterIndex} (at the start when negative). Throws when that
   * document is no longer in the journal: the caller's position is lost and it must start over.
   */
  public JournalReader reader(long afterIndex) {
    SingleChronicleQueue q = queue;
    if (q == null) {
      throw new IllegalStateException("journal is not open");
    }
    ExcerptTailer tailer = q.createTailer();
    if (afterIndex < 0) {
      tailer.toStart();
    } else if (tailer.moveToIndex(afterIndex)) {
      try (DocumentContext dc = tailer.readingDocument()) {
        // positioned at afterIndex itself, which the caller has already seen
      }
    } else {
      tailer.close();
      throw new IllegalStateException("journal index " + Long.toHexString(afterIndex) + " is no longer in the journal");
    }
    return new JournalReader(tailer);
  }

  /**
   * Waits until a document is appended after the {@code seen}-th one (see {@link #documents()}), or
   * the timeout passes. Lets readers follow the journal without polling it hot.
   */
  public void awaitAppend(long seen, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    synchronized (appendSignal) {
      while (documents.get() <= seen && !closed.get()) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return;
        }
        appendSignal.wait(left);
      }
    }
  }

  /** Documents after {@code afterIndex} up to the last one (what a reader at that index has yet to read). */
  public long countAfter(long afterIndex) {
    SingleChronicleQueue q = queue;
    long last = lastIndex;
    if (q == null || last < 0 || afterIndex >= last) {
      return 0;
    }
    long from = afterIndex < 0 ? q.firstIndex() : afterIndex;
    long n = q.countExcerpts(from, last);
    return afterIndex < 0 ? n + 1 : n;
  }

  /** Bytes the journal's files take on disk (sparse files: what is really allocated is less). */
  public long diskBytes() {
    try (var files = java.nio.file.Files.list(dir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  /** Whether the document at {@code index} is still in the journal. */
  public boolean contains(long index) {
    SingleChronicleQueue q = queue;
    if (q == null || index < 0) {
      return false;
    }
    try (ExcerptTailer tailer = q.createTailer()) {
      return tailer.moveToIndex(index);
    }
  }

  SingleChronicleQueue queue() {
    return queue;
  }

  private void writeLoop() {
    try (ExcerptAppender appender = queue.createAppender()) {
      List<JournalBatch> group = new ArrayList<>();
      long lastSync = System.nanoTime();
      while (true) {
        JournalBatch first = pending.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed.get()) {
            break;
          }
          continue;
        }
        group.add(first);
        pending.drainTo(group, 63);
        writeGroup(appender, group);
        group.clear();
        long now = System.nanoTime();
        if (now - lastSync > SYNC_EVERY_NANOS) {
          // msync: survives power loss too (a kill -9 loses nothing anyway: the pages are the kernel's)
          appender.sync();
          lastSync = now;
        }
      }
      appender.sync();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("journal - writer stopped", e);
    }
  }

  private void writeGroup(ExcerptAppender appender, List<JournalBatch> group) {
    List<JournalBatch> doc = new ArrayList<>();
    List<byte[]> marks = new ArrayList<>();
    List<byte[]> events = new ArrayList<>();
    int bytes = 0;
    for (JournalBatch b : group) {
      if (b.predecessorFailed()) {
        // Never let a later checkpoint of a source commit over its lost events.
        b.committed().completeExceptionally(new IllegalStateException("an earlier batch of this source failed"));
        continue;
      }
      doc.add(b);
      for (byte[] m : b.marks()) {
        marks.add(m);
        bytes += m.length + 4;
      }
      for (Event e : b.events()) {
        byte[] encoded = EventCodec.encode(e);
        events.add(encoded);
        bytes += encoded.length + 4;
      }
      // Waiting batches are coalesced into one document, kept well under Chronicle's size limit.
      if (bytes >= MAX_DOCUMENT_BYTES / 2) {
        writeDocument(appender, doc, marks, events);
        doc.clear();
        marks.clear();
        events.clear();
        bytes = 0;
      }
    }
    if (!doc.isEmpty()) {
      writeDocument(appender, doc, marks, events);
    }
  }

  private void writeDocument(
      ExcerptAppender appender, List<JournalBatch> doc, List<byte[]> marks, List<byte[]> events) {
    try {
      try (DocumentContext dc = appender.writingDocument()) {
        try {
          DocumentCodec.write(dc.wire().bytes(), marks, events);
        } catch (RuntimeException e) {
          dc.rollbackOnClose(); // never leave half a document
          throw e;
        }
      }
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      log.warn("journal - append failed, {} batches not written: {}", doc.size(), e.toString());
      for (JournalBatch b : doc) {
        b.committed().completeExceptionally(e);
      }
      return;
    }
    long index = appender.lastIndexAppended();
    lastIndex = index;
    documents.incrementAndGet();
    synchronized (appendSignal) {
      appendSignal.notifyAll();
    }
    eventsAppended.addAndGet(events.size());
    for (JournalBatch b : doc) {
      for (CommitListener l : listeners) {
        try {
          l.committed(b, index);
        } catch (RuntimeException e) {
          log.error("journal - commit listener failed at index {}", Long.toHexString(index), e);
        }
      }
      b.committed().complete(index);
    }
  }

  @Override
  public void close() {
    if (!started.get() || !closed.compareAndSet(false, true)) {
      return;
    }
    try {
      writer.join(DRAIN_ON_CLOSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      log.warn("journal - writer did not drain within {}; {} batches left", DRAIN_ON_CLOSE, pending.size());
      writer.interrupt();
    }
    for (JournalBatch b; (b = pending.poll()) != null; ) {
      b.committed().completeExceptionally(new IllegalStateException("journal closed"));
    }
    queue.close();
    log.info("journal - closed at index {}", lastIndex < 0 ? "none" : Long.toHexString(lastIndex));
  }

  private static long readLastIndex(SingleChronicleQueue q) {
    return q.entryCount() > 0 ? q.lastIndex() : -1;
  }
}
