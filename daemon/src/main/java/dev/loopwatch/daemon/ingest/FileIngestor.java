package dev.loopwatch.daemon.ingest;

import dev.loopwatch.daemon.ingest.BatchWriter.JournalWriteException;
import dev.loopwatch.daemon.ingest.parse.BadLineException;
import dev.loopwatch.daemon.ingest.parse.LineParser;
import dev.loopwatch.daemon.ingest.parse.ParseContext;
import dev.loopwatch.daemon.ingest.parse.Parsers;
import dev.loopwatch.daemon.ingest.parse.SourceFile;
import dev.loopwatch.daemon.ingest.parse.SourceKind;
import dev.loopwatch.daemon.ingest.parse.WholeFileParser;
import dev.loopwatch.daemon.journal.Journal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one path's new content into the journal: works out which content stream the file is (new,
 * continued, renamed, rotated, truncated, rewritten, replaced), reads complete lines from the stream's
 * checkpoint, parses them and appends events and the advanced checkpoint together. One instance per
 * worker thread; a path is only ever handled by one worker at a time.
 *
 * <p>The identity rules, in order (see {@link FileCheckpoint}):
 *
 * <ol>
 *   <li>the inode we had open left the path (rename, delete, replace): read what it still holds first;
 *   <li>a known inode continues its stream if its first bytes and the bytes before the checkpoint are
 *       unchanged and it has not shrunk; otherwise the old stream is retired and a new one starts at 0;
 *   <li>an unknown inode continues a recently retired stream whose content it provably starts with
 *       (atomic replace with the same prefix, or a copy made by copytruncate); otherwise it is new.
 * </ol>
 */
final class FileIngestor {
  private static final Logger log = LoggerFactory.getLogger(FileIngestor.class);
  /** Orphans whose content may be continued by a replacement or copy are kept this long. */
  static final long ORPHAN_TTL_MILLIS = 3_600_000L;
  /** A copy under another name must share at least this much head to continue a stream. */
  private static final int MIN_HEAD_FOR_COPY = 256;

  private final CheckpointBook book;
  private final RootSet roots;
  private final OpenFiles openFiles;
  private final DeadLetters deadLetters;
  private final IngestCounters counters;
  private final LineReader reader;
  private final BatchWriter batch;
  private final String machine;
  private final Clock clock;
  private final int batchMaxEvents;
  private final long batchMaxBytes;
  private final long maxLineBytes;
  private final long turnBytes;
  private final Consumer<Path> requeue;
  private final IdentityLocks identityLocks;
  private List<ReentrantLock> held = List.of();

  FileIngestor(
      CheckpointBook book,
      RootSet roots,
      OpenFiles openFiles,
      Journal journal,
      DeadLetters deadLetters,
      IngestCounters counters,
      String machine,
      Clock clock,
      int batchMaxEvents,
      long batchMaxBytes,
      long maxLineBytes,
      Consumer<Path> requeue,
      IdentityLocks identityLocks) {
    this.book = book;
    this.roots = roots;
    this.openFiles = openFiles;
    this.deadLetters = deadLetters;
    this.counters = counters;
    this.machine = machine;
    this.clock = clock;
    this.batchMaxEvents = batchMaxEvents;
    this.batchMaxBytes = batchMaxBytes;
    this.maxLineBytes = maxLineBytes;
    this.turnBytes = Math.max(32L << 20, batchMaxBytes);
    this.reader = new LineReader(maxLineBytes);
    this.batch = new BatchWriter(journal, book, roots, counters);
    this.requeue = requeue;
    this.identityLocks = identityLocks;
  }

  /**
   * Brings {@code path} up to date. Returns true when it has more to read than one turn allows (the
   * caller re-queues it so other files get their turn).
   */
  boolean process(Path path) throws IOException, InterruptedException, JournalWriteException {
    // A file can be reached under two paths at once (renamed while a worker drains it under its old
    // name): whoever holds its identity reads it, the other waits and then sees the new checkpoint.
    // Every inode read in this turn is locked first (readLines checks), so a rename that happens while
    // we look cannot hand the same stream to the other worker.
    FileStat now = FileStat.of(path);
    held = identityLocks.lock(now == null ? null : now.identity(), openFiles.identityOf(path));
    try {
      return processPath(path);
    } catch (Busy busy) {
      batch.discard();
      return true; // another worker reads that file right now: look again after it
    } catch (IOException | InterruptedException | JournalWriteException | RuntimeException e) {
      batch.discard();
      throw e;
    } finally {
      identityLocks.unlock(held);
      held = List.of();
    }
  }

  /** Another worker holds the identity this turn needs next. */
  private static final class Busy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Busy() {
      super(null, null, false, false);
    }
  }

  private void lockIdentity(FileIdentity id) {
    if (!identityLocks.tryAdd(held, id)) {
      throw new Busy();
    }
  }

  private boolean processPath(Path path) throws IOException, InterruptedException, JournalWriteException {
    long now = clock.millis();
    RootSet.Located located = roots.locate(path);
    FileCheckpoint tracked = book.byPath(path);
    if (located == null && tracked == null) {
      return false;
    }
    FileStat st = FileStat.of(path);
    if (st != null && !st.regularFile()) {
      return false;
    }
    OpenFiles.Handle open = openFiles.acquireExisting(path, now);
    if (open != null) {
      try {
        if (st == null || !open.identity.equals(st.identity())) {
          // The inode we had open left this path (rename, delete, replace): finish what it holds.
          FileCheckpoint old = book.byInode(open.identity);
          if (old != null && !old.gone()) {
            readLines(old, open.channel, Long.MAX_VALUE);
            batch.awaitCommitted();
          }
        }
      } finally {
        openFiles.release(open);
      }
      if (st == null || !open.identity.equals(st.identity())) {
        openFiles.forget(path);
      }
    }
    tracked = book.byPath(path);
    boolean rewrittenWhole = tracked != null && tracked.source().mode() == SourceKind.Mode.WHOLE_FILE && st != null;
    if (tracked != null && !rewrittenWhole && (st == null || !tracked.identity().equals(st.identity()))) {
      relocateOrRetire(tracked, now);
    }
    if (st == null) {
      return false;
    }
    SourceKind kind = located != null ? located.kind() : null;
    FileCheckpoint known = book.byInode(st.identity());
    if (kind == null && known != null) {
      kind = known.source(); // a rotated file under a name that is no source: still that source
    }
    if (kind == null) {
      return false;
    }
    String root = located != null ? located.root().dir().toString() : known.root();
    if (kind.mode() == SourceKind.Mode.WHOLE_FILE) {
      processWholeFile(path, st, kind, root);
      return false;
    }
    return processLines(path, st, kind, root, known, now);
  }

  private boolean processLines(
      Path path, FileStat st, SourceKind kind, String root, FileCheckpoint known, long now)
      throws IOException, InterruptedException, JournalWriteException {
    if (known != null
        && known.path().equals(path.toString())
        && known.offset() == st.size()
        && known.size() == st.size()
        && known.mtime() == st.mtimeMillis()) {
      return false; // nothing new (the common case for a rescan of an idle file)
    }
    OpenFiles.Handle h = openFiles.acquireOpen(path, st.identity(), now);
    if (h == null) {
      return true; // replaced between stat and open: look again
    }
    try {
      FileChannel ch = h.channel;
      long size = ch.size();
      FileCheckpoint cp = known;
      if (cp != null && !cp.path().equals(path.toString())) {
        counters.rotations.increment();
        cp = cp.at(path, st.identity()); // renamed within the watched sources
      }
      if (cp != null && !stillValid(cp, ch, size)) {
        retire(cp, now, "rewritten or truncated");
        drainCopy(cp, now); // copytruncate: the old content may live on under a rotated name
        cp = null;
      }
      if (cp == null) {
        cp = continueOrphan(path, st.identity(), ch, size, now);
      }
      if (cp == null) {
        cp = newStream(path, st.identity(), kind, root);
      }
      cp = withStat(cp, st);
      FileCheckpoint done = readLines(cp, ch, turnBytes);
      batch.awaitCommitted();
      return done.offset() < ch.size() && done.offset() - cp.offset() >= turnBytes;
    } finally {
      openFiles.release(h);
    }
  }

  /**
   * Reads lines of {@code cp}'s stream from its offset, flushing batches as they fill; returns the
   * final checkpoint. Flushes it even when no line produced an event.
   */
  private FileCheckpoint readLines(FileCheckpoint start, FileChannel ch, long budget)
      throws IOException, InterruptedException {
    lockIdentity(start.identity());
    SourceFile source = new SourceFile(Path.of(start.path()), start.source(), Path.of(start.root()));
    LineParser parser = Parsers.lineParser(start.source());
    ParseContext ctx = new ParseContext(source, start.stream(), machine, batch);
    FileCheckpoint[] cp = {start};
    long[] linesSinceFlush = {0};
    long end =
        reader.read(
            ch,
            start.offset(),
            budget,
            new LineReader.Handler() {
              @Override
              public boolean line(byte[] buf, int off, int len, long pos, long next)
                  throws IOException {
                parseLine(parser, ctx, source.path(), buf, off, len, pos);
                counters.linesRead.increment();
                counters.bytesRead.add(next - pos);
                linesSinceFlush[0]++;
                batch.lineConsumed((int) (next - pos));
                if (batch.pendingEvents() >= batchMaxEvents || batch.pendingBytes() >= batchMaxBytes) {
                  cp[0] = flushAt(cp[0], ch, next, linesSinceFlush[0]);
                  linesSinceFlush[0] = 0;
                }
                return !Thread.currentThread().isInterrupted();
              }

              @Override
              public boolean oversize(long pos, long length, byte[] head, int headLen) {
                counters.oversizeLines.increment();
                counters.badLines.increment();
                deadLetters.record(
                    source.path(), pos, length, "line longer than ingest.maxLineBytes (" + maxLineBytes + ")",
                    head, 0, headLen);
                return true;
              }
            });
    if (end != cp[0].offset() || cp[0] != start || linesSinceFlush[0] > 0 || batch.pendingEvents() > 0) {
      cp[0] = flushAt(cp[0], ch, end, linesSinceFlush[0]);
    } else if (!start.equals(book.byStream(start.stream()))) {
      cp[0] = flushAt(cp[0], ch, end, 0); // identity or path changed: persist that
    }
    return cp[0];
  }

  private FileCheckpoint flushAt(FileCheckpoint cp, FileChannel ch, long offset, long lines)
      throws IOException {
    int headLen = (int) Math.min(Fingerprints.HEAD_BYTES, offset);
    String headHash =
        headLen == cp.headLen() && cp.headHash() != null ? cp.headHash() : Fingerprints.head(ch, headLen);
    String markHash = offset == cp.offset() && cp.markHash() != null ? cp.markHash() : Fingerprints.mark(ch, offset);
    FileCheckpoint next = cp.advanced(offset, headLen, headHash, markHash, null, cp.size(), cp.mtime(), lines);
    try {
      batch.flush(next);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the journal was behind", e);
    }
    return next;
  }

  private void parseLine(
      LineParser parser, ParseContext ctx, Path file, byte[] buf, int off, int len, long pos) {
    int start = off;
    int stop = off + len;
    while (start < stop && buf[start] == 0) {
      start++; // NUL runs: the hole a copytruncate leaves under a writer without O_APPEND
    }
    if (stop > start && buf[stop - 1] == '\r') {
      stop--;
    }
    if (start == stop || isBlank(buf, start, stop)) {
      return;
    }
    JsonLines.Parsed parsed;
    try {
      parsed = JsonLines.parse(buf, start, stop - start);
    } catch (IOException e) {
      badLine(file, pos + (start - off), buf, start, stop - start, "invalid JSON: " + firstLine(e.getMessage()));
      return;
    }
    if (parsed.replacedInvalidUtf8()) {
      counters.invalidUtf8Lines.increment();
    }
    try {
      parser.parse(parsed.node(), ctx.at(pos + (start - off), Instant.ofEpochMilli(clock.millis())));
    } catch (BadLineException e) {
      badLine(file, pos, buf, start, stop - start, e.getMessage());
    } catch (RuntimeException e) {
      // A parser bug must not stop the tailer; the line is kept in the dead letters for a fix.
      badLine(file, pos, buf, start, stop - start, "parser failed: " + e);
    }
  }

  private void badLine(Path file, long pos, byte[] buf, int off, int len, String reason) {
    counters.badLines.increment();
    deadLetters.record(file, pos, len, reason, buf, off, len);
  }

  private void processWholeFile(Path path, FileStat st, SourceKind kind, String root)
      throws IOException, InterruptedException, JournalWriteException {
    lockIdentity(st.identity());
    FileCheckpoint cp = book.byPath(path);
    if (cp != null && cp.size() == st.size() && cp.mtime() == st.mtimeMillis() && cp.identity().equals(st.identity())) {
      return;
    }
    if (st.size() > maxLineBytes) {
      if (cp == null || cp.size() != st.size()) {
        counters.oversizeLines.increment();
        counters.badLines.increment();
        byte[] head = readHead(path);
        deadLetters.record(path, 0, st.size(), "file larger than ingest.maxLineBytes (" + maxLineBytes + ")", head, 0, head.length);
      }
      cp = (cp == null ? newStream(path, st.identity(), kind, root) : cp.at(path, st.identity()));
      batch.flush(cp.advanced(st.size(), 0, null, null, cp.contentHash(), st.size(), st.mtimeMillis(), 0));
      batch.awaitCommitted();
      return;
    }
    byte[] content;
    try {
      content = Files.readAllBytes(path);
    } catch (java.nio.file.NoSuchFileException e) {
      return; // replaced or removed while we looked: the watcher reports the new version
    }
    String hash = Fingerprints.hash(content, 0, content.length);
    cp = cp == null ? newStream(path, st.identity(), kind, root) : cp.at(path, st.identity());
    counters.bytesRead.add(content.length);
    if (!hash.equals(cp.contentHash())) {
      WholeFileParser parser = Parsers.wholeFileParser(kind);
      ParseContext ctx =
          new ParseContext(new SourceFile(path, kind, Path.of(root)), cp.stream(), machine, batch)
              .at(0, Instant.ofEpochMilli(clock.millis()))
              .modifiedAt(Instant.ofEpochMilli(st.mtimeMillis()));
      try {
        parser.parse(content, ctx);
      } catch (BadLineException e) {
        badLine(path, 0, content, 0, content.length, e.getMessage());
      } catch (RuntimeException e) {
        badLine(path, 0, content, 0, content.length, "parser failed: " + e);
      }
    }
    batch.flush(cp.advanced(content.length, 0, null, null, hash, st.size(), st.mtimeMillis(), 0));
    batch.awaitCommitted();
  }

  /**
   * The tracked stream's inode is no longer at its path. If it still exists next to it under another
   * name (rename rotation), keep tracking it there and read what it holds; otherwise retire it.
   */
  private void relocateOrRetire(FileCheckpoint cp, long now)
      throws IOException, InterruptedException, JournalWriteException {
    if (cp.source().mode() == SourceKind.Mode.WHOLE_FILE) {
      retire(cp, now, null); // rewritten whole by design: the next version is read by path
      batch.flush(null);
      batch.awaitCommitted();
      return;
    }
    Path sibling = findByInode(cp.filePath().getParent(), cp.identity());
    if (sibling != null) {
      counters.rotations.increment();
      if (roots.locate(sibling) != null) {
        requeue.accept(sibling); // still a source under its new name: read it as such
        return;
      }
      FileStat st = FileStat.of(sibling);
      OpenFiles.Handle h = st == null ? null : openFiles.acquireOpen(sibling, cp.identity(), now);
      if (h != null) {
        try {
          FileCheckpoint moved = withStat(cp.at(sibling, cp.identity()), st);
          if (stillValid(moved, h.channel, h.channel.size())) {
            readLines(moved, h.channel, Long.MAX_VALUE);
            batch.awaitCommitted();
            if (roots.locate(cp.filePath()) != null) {
              readUnseenGenerations(cp, now);
            }
            return;
          }
        } finally {
          openFiles.release(h);
        }
      }
    }
    counters.deletions.increment();
    retire(cp, now, "deleted");
    batch.flush(null);
    batch.awaitCommitted();
  }

  /**
   * When {@code cp}'s file turned up under a rotated name ({@code app.jsonl.3}), the generations
   * rotated between it and the current file ({@code .2}, {@code .1}) were written and rotated away
   * while we were not looking (stopped, or frozen). Reads each of them — numbered like the file, with an
   * inode no checkpoint knows, modified after our last read of {@code cp} — oldest first, from the start
   * (or continuing the stream it is a copy of).
   */
  private void readUnseenGenerations(FileCheckpoint cp, long now)
      throws IOException, InterruptedException, JournalWriteException {
    Path file = cp.filePath();
    String name = file.getFileName().toString();
    Pattern numbered = Pattern.compile(Pattern.quote(name) + "\\.(\\d{1,4})");
    TreeMap<Integer, Path> generations = new TreeMap<>(Comparator.reverseOrder());
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(file.getParent())) {
      for (Path p : ds) {
        var m = numbered.matcher(p.getFileName().toString());
        if (m.matches()) {
          generations.put(Integer.parseInt(m.group(1)), p); // highest number = oldest
        }
      }
    }
    for (Path p : generations.values()) {
      FileStat st = FileStat.of(p);
      if (st == null || !st.regularFile() || book.byInode(st.identity()) != null || st.mtimeMillis() < cp.mtime()
          || book.orphans().stream().anyMatch(o -> o.identity().equals(st.identity()))) {
        continue;
      }
      OpenFiles.Handle h = openFiles.acquireOpen(p, st.identity(), now);
      if (h == null) {
        continue;
      }
      try {
        FileCheckpoint next = continueOrphan(p, st.identity(), h.channel, h.channel.size(), now);
        if (next == null) {
          next = newStream(p, st.identity(), cp.source(), cp.root());
        }
        counters.rotations.increment();
        readLines(withStat(next, st), h.channel, Long.MAX_VALUE);
        batch.awaitCommitted();
      } finally {
        openFiles.release(h);
      }
    }
  }

  /**
   * After a truncation, looks next to the file for a copy under a rotated name ({@code f.1},
   * {@code f-2026...}) that continues the old stream, and reads the lines it has beyond the checkpoint:
   * those were written between our last read and the copy.
   */
  private void drainCopy(FileCheckpoint old, long now) throws IOException, InterruptedException {
    Path file = old.filePath();
    Path dir = file.getParent();
    if (dir == null || old.offset() == 0 || old.headLen() < MIN_HEAD_FOR_COPY) {
      return;
    }
    String prefix = file.getFileName().toString();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix) && !p.equals(file))) {
      for (Path candidate : ds) {
        if (roots.locate(candidate) != null) {
          continue; // a source of its own: it is read (and adopts the stream) when its turn comes
        }
        FileStat st = FileStat.of(candidate);
        OpenFiles.Handle h = st == null || !st.regularFile() ? null : openFiles.acquireOpen(candidate, st.identity(), now);
        if (h == null) {
          continue;
        }
        try {
          FileCheckpoint copy = withStat(old.at(candidate, st.identity()), st);
          if (stillValid(copy, h.channel, h.channel.size())) {
            counters.adoptions.increment();
            FileCheckpoint drained = readLines(copy, h.channel, Long.MAX_VALUE);
            batch.mark(IngestMarks.file(drained.retired(now)));
            return;
          }
        } finally {
          openFiles.release(h);
        }
      }
    }
  }

  /** Marks a stream as superseded; any unread bytes it held are reported, never silently dropped. */
  private void retire(FileCheckpoint cp, long now, String why) {
    if (why != null && cp.size() > cp.offset()) {
      counters.partialLinesDropped.increment();
      byte[] none = new byte[0];
      deadLetters.record(
          cp.filePath(), cp.offset(), cp.size() - cp.offset(),
          "unread bytes of a " + why + " file (an unfinished last line, or data removed before it was read)",
          none, 0, 0);
    }
    if (why != null && why.startsWith("rewritten")) {
      counters.rewrites.increment();
    }
    batch.mark(IngestMarks.file(cp.retired(now)));
  }

  /**
   * A new inode may continue a retired stream: the same path replaced atomically with the same prefix,
   * or a copy of a truncated file (copytruncate). The content must match the stream's head and the
   * bytes before its checkpoint, so nothing is skipped that was not read.
   */
  private FileCheckpoint continueOrphan(Path path, FileIdentity id, FileChannel ch, long size, long now)
      throws IOException {
    for (FileCheckpoint o : book.orphans()) {
      if (now - o.goneAt() > ORPHAN_TTL_MILLIS || o.offset() > size || o.headLen() == 0 || o.offset() == 0) {
        continue;
      }
      boolean samePath = o.path().equals(path.toString());
      if (!samePath && o.headLen() < MIN_HEAD_FOR_COPY) {
        continue;
      }
      if (o.headHash().equals(Fingerprints.head(ch, o.headLen()))
          && (o.markHash() == null || o.markHash().equals(Fingerprints.mark(ch, o.offset())))) {
        counters.adoptions.increment();
        return o.at(path, id);
      }
    }
    return null;
  }

  private FileCheckpoint newStream(Path path, FileIdentity id, SourceKind kind, String root) {
    String stream = UUID.randomUUID().toString().replace("-", "");
    counters.filesRead.increment();
    return new FileCheckpoint(
        stream, path.toString(), kind, root, id.dev(), id.ino(), 0, null, 0, null, null, 0, 0, 0, 0);
  }

  private static FileCheckpoint withStat(FileCheckpoint cp, FileStat st) {
    return cp.advanced(cp.offset(), cp.headLen(), cp.headHash(), cp.markHash(), cp.contentHash(), st.size(), st.mtimeMillis(), 0);
  }

  /** Whether the bytes {@code cp} covers are still the ones read. */
  private static boolean stillValid(FileCheckpoint cp, FileChannel ch, long size) throws IOException {
    if (size < cp.offset()) {
      return false;
    }
    if (cp.headLen() > 0 && !cp.headHash().equals(Fingerprints.head(ch, cp.headLen()))) {
      return false;
    }
    return cp.offset() == 0 || cp.markHash() == null || cp.markHash().equals(Fingerprints.mark(ch, cp.offset()));
  }

  private static Path findByInode(Path dir, FileIdentity id) {
    if (dir == null) {
      return null;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        FileStat st = FileStat.of(p);
        if (st != null && st.regularFile() && st.identity().equals(id)) {
          return p;
        }
      }
    } catch (IOException e) {
      // the directory itself is gone: so is the file
    }
    return null;
  }

  private static byte[] readHead(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path)) {
      ByteBuffer b = ByteBuffer.allocate(DeadLetters.HEAD_BYTES);
      ch.read(b, 0);
      byte[] out = new byte[b.position()];
      b.flip().get(out);
      return out;
    }
  }

  private static boolean isBlank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
