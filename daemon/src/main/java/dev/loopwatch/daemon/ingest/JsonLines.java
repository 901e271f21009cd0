package dev.loopwatch.daemon.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.ingest.parse.LineTrees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Parses one JSONL line. Invalid UTF-8 is not fatal: the line is decoded with replacement characters
 * and parsed again (the caller counts it), because losing a whole transcript line for one bad byte in a
 * tool output would be worse than keeping it with a U+FFFD.
 */
final class JsonLines {
  /** The parsed line and whether bytes had to be replaced. */
  record Parsed(JsonNode node, boolean replacedInvalidUtf8) {}

  private JsonLines() {}

  static Parsed parse(byte[] buf, int off, int len) throws IOException {
    try {
      return new Parsed(LineTrees.read(buf, off, len), false);
    } catch (JsonProcessingException e) {
      if (isValidUtf8(buf, off, len)) {
        throw e;
      }
      // malformed sequences become U+FFFD; the result is valid UTF-8
      byte[] replaced = new String(buf, off, len, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
      return new Parsed(LineTrees.read(replaced, 0, replaced.length), true);
    }
  }

  static boolean isValidUtf8(byte[] buf, int off, int len) {
    CharsetDecoder d =
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      d.decode(ByteBuffer.wrap(buf, off, len));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** Decodes for a dead-letter head: never fails, replaces what is not UTF-8. */
  static String text(byte[] buf, int off, int len) {
    CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(buf, off, len));
    return cb.toString();
  }
}
