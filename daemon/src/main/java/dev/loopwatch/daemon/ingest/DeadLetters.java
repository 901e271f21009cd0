package dev.loopwatch.daemon.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what could not be ingested, so nothing is lost silently: one JSON line per bad line in
 * {@code dead-letters.jsonl} with the source file, byte offset, length, reason and the first 1 KiB
 * (decoded with replacement characters). The file rolls to {@code .1} past 64 MiB.
 */
final class DeadLetters {
  static final int HEAD_BYTES = 1024;
  private static final long ROLL_BYTES = 64L << 20;
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private final Path file;
  private final Clock clock;

  DeadLetters(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  Path file() {
    return file;
  }

  synchronized void record(Path source, long offset, long length, String reason, byte[] buf, int off, int len) {
    ObjectNode n = IngestMarks.JSON.createObjectNode();
    n.put("ts", clock.instant().toString());
    n.put("path", source.toString());
    n.put("offset", offset);
    n.put("length", length);
    n.put("reason", reason);
    int headLen = Math.min(len, HEAD_BYTES);
    n.put("head", new String(buf, off, headLen, StandardCharsets.UTF_8));
    try {
      Files.createDirectories(file.getParent());
      if (Files.exists(file) && Files.size(file) > ROLL_BYTES) {
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
      }
      try (OutputStream out =
          Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        out.write(IngestMarks.JSON.writeValueAsBytes(n));
        out.write('\n');
      }
    } catch (IOException e) {
      // Counted by the caller either way; the log keeps the record when the state disk is unusable.
      log.warn("ingest - cannot write dead letter for {}@{} ({}): {}", source, offset, reason, e.toString());
    }
  }
}
