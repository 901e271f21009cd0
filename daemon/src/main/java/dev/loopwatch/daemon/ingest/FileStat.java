package dev.loopwatch.daemon.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** One {@code stat} of a path (following symlinks, so a rotated symlink target is followed). */
record FileStat(FileIdentity identity, long size, long mtimeMillis, boolean regularFile) {

  /**
   * Stats {@code path}; {@code null} when it does not exist. Other failures (permission denied, too
   * many open files) are thrown: they must never be mistaken for "deleted".
   */
  static FileStat of(Path path) throws IOException {
    Map<String, Object> a;
    try {
      a = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime,isRegularFile");
    } catch (NoSuchFileException e) {
      return null;
    }
    return new FileStat(
        new FileIdentity(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue()),
        ((Number) a.get("size")).longValue(),
        ((FileTime) a.get("lastModifiedTime")).toMillis(),
        (Boolean) a.get("isRegularFile"));
  }
}
