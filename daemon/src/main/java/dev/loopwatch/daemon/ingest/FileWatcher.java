package dev.loopwatch.daemon.ingest;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.visitor.FileTreeVisitor;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns inotify notifications (directory-watcher, file hashing off) into "look at this path" hints. A
 * notification is only a hint — the reader always re-checks size and identity — so coalesced, lost or
 * overflowed notifications cost latency, never data: an overflow or a watcher error asks for a full
 * rescan, and the periodic rescan catches anything else.
 *
 * <p>directory-watcher's root set is fixed when it is built, so a changed set of roots rebuilds it on a
 * fresh thread; registration of a large tree happens there, never on the caller's thread.
 */
final class FileWatcher implements AutoCloseable {
  /** Where hints go. */
  interface Hints {
    void changed(Path file);

    void directoryGone(Path dir);

    /** Notifications were lost (overflow, watcher error, watcher ended): everything must be re-listed. */
    void rescanNeeded(String why);
  }

  private static final Logger log = LoggerFactory.getLogger(FileWatcher.class);

  private final Hints hints;
  private final Set<String> excludeDirs;
  private volatile Set<Path> roots = Set.of();
  private volatile DirectoryWatcher watcher;
  private Thread thread;
  private int generation;
  private volatile boolean alive;
  private boolean closed;

  FileWatcher(Hints hints, Set<String> excludeDirs) {
    this.hints = hints;
    this.excludeDirs = Set.copyOf(excludeDirs);
  }

  /** Whether a watcher is running (it ends by itself when every watched directory is deleted). */
  boolean alive() {
    return alive;
  }

  /** (Re)starts watching exactly {@code dirs}; an empty list just stops watching. */
  synchronized void watch(List<Path> dirs) {
    if (closed) {
      return;
    }
    stop();
    if (dirs.isEmpty()) {
      return;
    }
    roots = Set.copyOf(dirs);
    DirectoryWatcher w;
    try {
      w =
          DirectoryWatcher.builder()
              .paths(dirs)
              .fileHashing(false) // hashing reads every file whole at start and on every change
              .fileTreeVisitor(new ExcludingVisitor())
              .listener(new Listener())
              .build();
    } catch (IOException e) {
      log.warn("ingest - cannot start file watcher ({}); relying on rescans", e.toString());
      return;
    }
    watcher = w;
    alive = true;
    int gen = ++generation;
    thread =
        new Thread(
            () -> {
              try {
                w.watch(); // registers every directory, then loops until closed
              } catch (RuntimeException e) {
                if (!w.isClosed()) {
                  log.warn("ingest - file watcher failed: {}", e.toString());
                }
              } finally {
                // no lock here: stop() holds the monitor while it joins this thread
                if (watcher == w) {
                  alive = false;
                }
                if (!w.isClosed()) {
                  hints.rescanNeeded("file watcher ended");
                }
              }
            },
            "ingest-watcher-" + gen);
    thread.setDaemon(true);
    thread.start();
  }

  private void stop() {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        log.debug("ingest - closing file watcher: {}", e.toString());
      }
      watcher = null;
      alive = false;
    }
    if (thread != null) {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    stop();
  }

  private final class Listener implements DirectoryChangeListener {
    @Override
    public void onEvent(DirectoryChangeEvent event) {
      switch (event.eventType()) {
        case OVERFLOW -> hints.rescanNeeded("inotify overflow");
        case DELETE -> {
          if (event.isDirectory()) {
            hints.directoryGone(event.path());
          } else {
            hints.changed(event.path());
          }
        }
        default -> {
          if (!event.isDirectory() && event.path() != null) {
            hints.changed(event.path());
          }
        }
      }
    }

    @Override
    public void onException(Exception e) {
      // directory-watcher 0.19.1 reports an inotify overflow as a NullPointerException here.
      hints.rescanNeeded("file watcher error: " + e);
    }
  }

  /** Does not descend into excluded directories (backups, caches, plugin checkouts). */
  private final class ExcludingVisitor implements FileTreeVisitor {
    @Override
    public void recursiveVisitFiles(Path start, Callback onDirectory, Callback onFile) throws IOException {
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
              if (!roots.contains(dir) && excludeDirs.contains(String.valueOf(dir.getFileName()))) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              onDirectory.call(dir);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
              onFile.call(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
              return FileVisitResult.CONTINUE; // vanished or unreadable: the rescan retries
            }
          });
    }
  }
}
