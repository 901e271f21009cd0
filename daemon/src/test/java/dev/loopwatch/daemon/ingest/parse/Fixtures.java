package dev.loopwatch.daemon.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Where the shared samples and the golden files are, and small helpers to feed parsers. */
final class Fixtures {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final Instant INGESTED = Instant.parse("2030-01-01T00:00:00Z");

  private Fixtures() {}

  /** The repository root: surefire says so; run from an IDE, found by walking up to the parent POM. */
  static Path repo() {
    String prop = System.getProperty("loopwatch.repo");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("daemon/pom.xml"))) {
        return d;
      }
    }
    throw new AssertionError("cannot find the repository root from " + dir);
  }

  /**
   * {@code shared/samples}: the {@code loopwatch.samples} property surefire sets, else {@code ../shared/samples}
   * beside the repository. The golden tests fail (not skip) without them: they are the point.
   */
  static Path samples() {
    String prop = System.getProperty("loopwatch.samples");
    Path dir = prop != null && !prop.isBlank()
        ? Path.of(prop)
        : repo().resolve("../shared/samples");
    dir = dir.toAbsolutePath().normalize();
    assertTrue(Files.isDirectory(dir.resolve("transcripts")),
        "the shared samples are missing: expected " + dir + "/transcripts (set -Dloopwatch.samples)");
    return dir;
  }

  /** The golden directory in the source tree, so that {@code -Dgolden.update=true} rewrites the committed files. */
  static Path golden() {
    return repo().resolve("daemon/src/test/resources/golden");
  }

  static boolean updateGolden() {
    return Boolean.getBoolean("golden.update");
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A context for a file at {@code path} under {@code root}, collecting into {@code sink}. */
  static ParseContext context(Path root, Path path, SourceKind kind, EventSink sink) {
    return new ParseContext(new SourceFile(path, kind, root), root.relativize(path).toString(), "test", sink)
        .at(0, INGESTED);
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
