package dev.loopwatch.daemon.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Compares a computed summary with its committed golden file, or rewrites it with {@code -Dgolden.update=true}. */
final class Golden {
  private Golden() {}

  static void check(String relativePath, JsonNode actual) {
    Path file = Fixtures.golden().resolve(relativePath);
    String rendered = render(actual);
    if (Fixtures.updateGolden()) {
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, rendered, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    assertTrue(Files.isRegularFile(file), "no golden file " + file + " (run with -Dgolden.update=true)");
    assertEquals(render(Fixtures.json(Fixtures.read(file))), rendered, "golden " + relativePath);
  }

  static String render(JsonNode node) {
    try {
      return Fixtures.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
