package dev.loopwatch.daemon.ingest;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Lists every watched root and queues each source file whose size or modification time differs from
 * its checkpoint, plus every tracked file that was not found where it was (deleted or renamed). This is
 * the start-up backfill and the periodic reconciliation that makes lost notifications harmless. Returns
 * the bytes the files hold beyond their checkpoints (the lag).
 */
final class RootScanner {
  private final RootSet roots;
  private final CheckpointBook book;
  private final Set<String> excludeDirs;

  RootScanner(RootSet roots, CheckpointBook book, Set<String> excludeDirs) {
    this.roots = roots;
    this.book = book;
    this.excludeDirs = Set.copyOf(excludeDirs);
  }

  /** Scans; returns the lag in bytes. {@code queue} receives the paths to read. */
  long scan(Consumer<Path> queue) {
    Set<String> seen = new HashSet<>();
    long[] lag = {0};
    for (WatchedRoot root : roots.current()) {
      try {
        Files.walkFileTree(
            root.dir(),
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                boolean excluded = !dir.equals(root.dir()) && excludeDirs.contains(String.valueOf(dir.getFileName()));
                return excluded ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile() && !attrs.isSymbolicLink()) {
                  return FileVisitResult.CONTINUE;
                }
                RootSet.Located located = roots.locate(file);
                if (located == null || !located.root().equals(root)) {
                  return FileVisitResult.CONTINUE; // not a source, or belongs to a nested root
                }
                seen.add(file.toString());
                FileCheckpoint cp = book.byPath(file);
                long size = attrs.size();
                if (cp == null || cp.size() != size || cp.mtime() != attrs.lastModifiedTime().toMillis() || cp.offset() > size) {
                  queue.accept(file);
                }
                if (cp != null && size > cp.offset()) {
                  lag[0] += size - cp.offset();
                } else if (cp == null) {
                  lag[0] += size;
                }
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE; // unreadable now: retried at the next scan
              }
            });
      } catch (IOException e) {
        // the root vanished during the walk: the next refresh drops it
      }
    }
    for (FileCheckpoint cp : book.active()) {
      if (!seen.contains(cp.path())) {
        queue.accept(cp.filePath()); // gone, renamed, or tracked under a name that is no source
      }
    }
    return lag[0];
  }
}
