package dev.loopwatch.daemon.ingest;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Paths waiting to be read, each at most once, first come first served. A path is never handed to two
 * workers at once: a change reported while a worker has it is remembered and the path re-queued when
 * that worker is done, so no append is missed and no file is read concurrently.
 */
final class DirtyQueue {
  private final LinkedHashSet<Path> queued = new LinkedHashSet<>();
  private final Set<Path> inProgress = new HashSet<>();
  private final Set<Path> again = new HashSet<>();
  private boolean closed;

  synchronized void add(Path p) {
    if (inProgress.contains(p)) {
      again.add(p);
    } else if (queued.add(p)) {
      notifyAll();
    }
  }

  /** The next path, marked in progress; {@code null} once closed. */
  synchronized Path take() throws InterruptedException {
    while (queued.isEmpty() && !closed) {
      wait();
    }
    if (closed) {
      return null;
    }
    Iterator<Path> it = queued.iterator();
    Path p = it.next();
    it.remove();
    inProgress.add(p);
    return p;
  }

  /** Marks {@code p} done; returns true when nothing is queued or in progress any more. */
  synchronized boolean done(Path p, boolean requeue) {
    inProgress.remove(p);
    if (again.remove(p) || requeue) {
      queued.add(p);
      notifyAll();
    }
    return queued.isEmpty() && inProgress.isEmpty();
  }

  synchronized boolean idle() {
    return queued.isEmpty() && inProgress.isEmpty();
  }

  synchronized int size() {
    return queued.size() + inProgress.size();
  }

  synchronized void close() {
    closed = true;
    notifyAll();
  }
}
