package dev.loopwatch.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files of the store tests ({@code src/test/resources/golden/store/}): compared, or rewritten
 * with {@code -Dgolden.update=true} (then cross-check the new numbers against the raw transcripts).
 */
final class StoreGolden {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private StoreGolden() {}

  static void check(String name, JsonNode actual) {
    Path file = dir().resolve(name);
    String rendered = render(actual);
    if (Boolean.getBoolean("golden.update")) {
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, rendered, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    assertTrue(Files.isRegularFile(file), "no golden file " + file + " (run with -Dgolden.update=true)");
    try {
      assertEquals(render(MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8))), rendered, "golden " + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String render(JsonNode node) {
    try {
      return MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The golden directory in the source tree (so that an update rewrites the committed files). */
  static Path dir() {
    String prop = System.getProperty("loopwatch.repo");
    Path repo = null;
    if (prop != null && !prop.isBlank()) {
      repo = Path.of(prop).toAbsolutePath().normalize();
    } else {
      for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
        if (Files.isRegularFile(d.resolve("daemon/pom.xml"))) {
          repo = d;
          break;
        }
      }
    }
    if (repo == null) {
      throw new AssertionError("cannot find the repository root");
    }
    return repo.resolve("daemon/src/test/resources/golden/store");
  }
}
