package dev.loopwatch.client;

import dev.loopwatch.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Claude Code {@code settings.json}: read strictly (a file that is not a JSON object is refused, never
 * overwritten), written back as 2-space indented JSON in the same key order, atomically, after a backup
 * copy of what was there ({@code settings.json.loopwatch-backup-yyyyMMdd-HHmmss}). A symlinked file (dotfile
 * managers) is written through the link.
 */
final class SettingsFile {
  /** The file cannot be used as it is; the message says why. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path path;

  SettingsFile(Path path) {
    this.path = path;
  }

  Path path() {
    return path;
  }

  boolean exists() {
    return Files.exists(path);
  }

  /** The settings object; an empty one when the file does not exist or holds only whitespace. */
  Map<String, Object> read() throws Refused, IOException {
    if (!Files.exists(path)) {
      return new LinkedHashMap<>();
    }
    if (!Files.isRegularFile(path)) {
      throw new Refused(path + " is not a regular file");
    }
    byte[] bytes = Files.readAllBytes(path);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Refused(path + " is not UTF-8 text");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    if (text.isBlank()) {
      return new LinkedHashMap<>();
    }
    Object v;
    try {
      v = Json.parse(text);
    } catch (Json.JsonException e) {
      throw new Refused(path + " is not valid JSON: " + where(e.getMessage(), text));
    }
    if (!(v instanceof Map)) {
      throw new Refused(path + " is not a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> settings = (Map<String, Object>) v;
    return settings;
  }

  /**
   * Backs up the current file (when there is one), then replaces it with {@code settings}. Creates the
   * directory when missing. Returns the backup's path, or {@code null} when there was nothing to back up.
   */
  Path write(Map<String, Object> settings, LocalDateTime now) throws IOException {
    Path target = Files.isSymbolicLink(path) && Files.exists(path) ? path.toRealPath() : path;
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path backup = null;
    if (Files.exists(target)) {
      backup = backupFor(now);
      Files.copy(target, backup, StandardCopyOption.COPY_ATTRIBUTES);
    }
    Path tmp = dir.resolve("." + target.getFileName() + ".loopwatch-" + ProcessHandle.current().pid() + ".tmp");
    try {
      try (OutputStream o = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        o.write((Json.pretty(settings) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      if (Files.exists(target)) {
        try {
          Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException notPosix) {
          // keep the default permissions
        }
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return backup;
  }

  private Path backupFor(LocalDateTime now) throws IOException {
    String base = path.getFileName() + ".loopwatch-backup-" + STAMP.format(now);
    Path dir = path.toAbsolutePath().getParent();
    for (int n = 1; ; n++) {
      Path candidate = dir.resolve(n == 1 ? base : base + "-" + n);
      if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
        return candidate;
      }
      if (n > 1000) {
        throw new FileAlreadyExistsException(candidate.toString());
      }
    }
  }

  /** "expected ',' or '}' at offset 120" becomes "expected ',' or '}' near line 7, column 3". */
  static String where(String message, String text) {
    String marker = " at offset ";
    int k = message == null ? -1 : message.lastIndexOf(marker);
    if (k < 0) {
      return String.valueOf(message);
    }
    int offset;
    try {
      offset = Integer.parseInt(message.substring(k + marker.length()).trim());
    } catch (NumberFormatException e) {
      return message;
    }
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(offset, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return message.substring(0, k) + " near line " + line + ", column " + column;
  }
}
