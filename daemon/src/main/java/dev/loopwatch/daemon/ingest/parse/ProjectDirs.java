package dev.loopwatch.daemon.ingest.parse;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Turns a working directory named in a source into a {@link ParseContext#projectSeen} report. */
final class ProjectDirs {
  private ProjectDirs() {}

  /**
   * Reports {@code dir} when it is an absolute path on this platform. Relative paths and other
   * platforms' paths (a Windows {@code C:\\...} read on Linux) are not directories this machine can
   * watch, so they are not reported; they still stay on the events as the project's name.
   */
  static void report(ParseContext ctx, String dir) {
    if (dir == null || dir.isEmpty()) {
      return;
    }
    Path path = absolutePath(dir);
    if (path != null) {
      ctx.projectSeen(path);
    }
  }

  static Path absolutePath(String text) {
    try {
      Path p = Path.of(text);
      return p.isAbsolute() ? p : null;
    } catch (InvalidPathException e) {
      return null; // e.g. a NUL character
    }
  }
}
