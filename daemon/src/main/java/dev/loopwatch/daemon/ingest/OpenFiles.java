package dev.loopwatch.daemon.ingest;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Handles of recently active files, so that lines appended just before a file is renamed or deleted are
 * still read from the inode we had open. Bounded (least recently used first out) and closed when idle,
 * so 10,000 mostly idle files do not hold 10,000 descriptors. A handle in use by a worker is never
 * closed under it.
 */
final class OpenFiles implements AutoCloseable {
  /** An open file and the identity it was opened with. */
  static final class Handle {
    final Path path;
    final FileChannel channel;
    final FileIdentity identity;
    long lastUsedMillis;
    int users;

    Handle(Path path, FileChannel channel, FileIdentity identity) {
      this.path = path;
      this.channel = channel;
      this.identity = identity;
    }
  }

  private final int max;
  private final long idleMillis;
  private final LinkedHashMap<Path, Handle> handles = new LinkedHashMap<>(64, 0.75f, true);

  OpenFiles(int max, long idleMillis) {
    this.max = max;
    this.idleMillis = idleMillis;
  }

  /** The handle open for {@code path}, marked in use, or {@code null}. Pair with {@link #release}. */
  synchronized Handle acquireExisting(Path path, long now) {
    Handle h = handles.get(path);
    if (h != null) {
      h.users++;
      h.lastUsedMillis = now;
    }
    return h;
  }

  /**
   * Opens {@code path} (closing a stale handle for it first) and checks that what was opened is still
   * {@code expected}; returns {@code null} when the path changed identity in between.
   */
  Handle acquireOpen(Path path, FileIdentity expected, long now) throws IOException {
    Handle existing = acquireExisting(path, now);
    if (existing != null) {
      if (existing.identity.equals(expected)) {
        return existing;
      }
      release(existing);
      forget(path);
    }
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    FileStat after = FileStat.of(path);
    if (after == null || !after.identity().equals(expected)) {
      ch.close();
      return null;
    }
    Handle h = new Handle(path, ch, expected);
    h.users = 1;
    h.lastUsedMillis = now;
    List<Handle> evicted;
    synchronized (this) {
      Handle raced = handles.put(path, h);
      if (raced != null && raced.users == 0) {
        closeQuietly(raced);
      }
      evicted = evictOverflow();
    }
    evicted.forEach(OpenFiles::closeQuietly);
    return h;
  }

  /** The identity of the handle open for {@code path}, or {@code null}. */
  synchronized FileIdentity identityOf(Path path) {
    Handle h = handles.get(path);
    return h == null ? null : h.identity;
  }

  synchronized void release(Handle h) {
    h.users--;
  }

  /** Closes and drops the handle for {@code path} if nobody uses it. */
  synchronized void forget(Path path) {
    Handle h = handles.get(path);
    if (h != null && h.users == 0) {
      handles.remove(path);
      closeQuietly(h);
    }
  }

  /** Closes handles idle for longer than the configured time. */
  void closeIdle(long now) {
    List<Handle> idle = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Handle> it = handles.values().iterator(); it.hasNext(); ) {
        Handle h = it.next();
        if (h.users == 0 && now - h.lastUsedMillis > idleMillis) {
          it.remove();
          idle.add(h);
        }
      }
    }
    idle.forEach(OpenFiles::closeQuietly);
  }

  synchronized int size() {
    return handles.size();
  }

  private List<Handle> evictOverflow() {
    List<Handle> out = new ArrayList<>();
    for (Iterator<Map.Entry<Path, Handle>> it = handles.entrySet().iterator();
        it.hasNext() && handles.size() > max; ) {
      Handle h = it.next().getValue();
      if (h.users == 0) {
        it.remove();
        out.add(h);
      }
    }
    return out;
  }

  @Override
  public synchronized void close() {
    handles.values().forEach(OpenFiles::closeQuietly);
    handles.clear();
  }

  private static void closeQuietly(Handle h) {
    try {
      h.channel.close();
    } catch (IOException e) {
      // closing a read-only handle cannot lose data
    }
  }
}
