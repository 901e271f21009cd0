package dev.loopwatch.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The real sample data in {@code ../shared/samples}, laid out as Claude Code lays it out. */
public final class Samples {
  private Samples() {}

  /** The samples directory; fails (does not skip) when it is missing. */
  public static Path dir() {
    String prop = System.getProperty("loopwatch.samples");
    Path p = prop != null ? Path.of(prop) : Path.of(System.getProperty("loopwatch.repo", ".."), "..", "shared", "samples");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("sample data not found at " + p + " (set -Dloopwatch.samples)");
    }
    return p.normalize();
  }

  /**
   * Copies the real transcripts (sniffly 1.0.17 and spotter 2.1.38/39, subagent folders included) into
   * {@code claudeHome/projects/<project>/} as ccusage reads them.
   */
  public static void installTranscripts(Path claudeHome) {
    Path t = dir().resolve("transcripts");
    copyTree(t.resolve("sniffly-v1.0.17/-Users-chip-dev-ai-music"), claudeHome.resolve("projects/-Users-chip-dev-ai-music"));
    Path spotter = claudeHome.resolve("projects/-home-marco-projects-spotter");
    copyTree(t.resolve("spotter-v2.1.38-39"), spotter);
    try {
      Files.deleteIfExists(spotter.resolve("UPSTREAM-README.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void copyTree(Path from, Path to) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
