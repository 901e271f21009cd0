package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Feeds a JSONL file to a {@link LineParser} line by line, as a tailer would (same tree reader, byte offsets). */
final class LineFeeder {
  int lines;
  int badLines;

  /** Parses every non-blank line of {@code file}; lines that are not JSON or that the parser rejects are counted. */
  static LineFeeder feed(LineParser parser, ParseContext ctx, Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LineFeeder f = new LineFeeder();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (!isBlank(bytes, start, i)) {
          f.lines++;
          ctx.at(start, Fixtures.INGESTED);
          try {
            JsonNode node = LineTrees.read(bytes, start, i - start); // what the tailer uses
            parser.parse(node, ctx);
          } catch (JsonProcessingException | BadLineException e) {
            f.badLines++;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        start = i + 1;
      }
    }
    return f;
  }

  private static boolean isBlank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\r' && b[i] != '\t') {
        return false;
      }
    }
    return true;
  }
}
