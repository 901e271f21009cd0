package dev.loopwatch.client;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes text as UTF-8 bytes whatever the platform encoding: on JDK 17 {@code System.out} encodes with
 * the locale's charset, and under {@code LANG=C} a hook's context would lose every non-ASCII character.
 */
final class Console {
  private Console() {}

  static void print(PrintStream stream, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    stream.write(bytes, 0, bytes.length);
    stream.flush();
  }
}
