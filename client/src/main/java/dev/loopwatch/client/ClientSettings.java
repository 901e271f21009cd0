package dev.loopwatch.client;

import dev.loopwatch.protocol.Protocol;
import dev.loopwatch.protocol.SocketPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The hook's limits, from {@code <socket dir>/client.properties} when the daemon wrote one (it knows its
 * configured {@code hook.*} deadlines and {@code socket.maxRequestBytes}), else the defaults of DESIGN §14.
 * Keys: {@code hook.sessionStartDeadlineMs}, {@code hook.deadlineMs} (milliseconds) and
 * {@code socket.maxRequestBytes} (bytes), plain integers. A missing file, key or bad value means the default.
 */
final class ClientSettings {
  static final long DEFAULT_SESSION_START_DEADLINE_MS = 1000;
  static final long DEFAULT_DEADLINE_MS = 300;

  static final String SESSION_START_DEADLINE = "hook.sessionStartDeadlineMs";
  static final String DEADLINE = "hook.deadlineMs";
  static final String MAX_REQUEST_BYTES = "socket.maxRequestBytes";

  private final long sessionStartDeadlineMs;
  private final long deadlineMs;
  private final int maxRequestBytes;

  ClientSettings(long sessionStartDeadlineMs, long deadlineMs, int maxRequestBytes) {
    this.sessionStartDeadlineMs = sessionStartDeadlineMs;
    this.deadlineMs = deadlineMs;
    this.maxRequestBytes = maxRequestBytes;
  }

  static ClientSettings defaults() {
    return new ClientSettings(DEFAULT_SESSION_START_DEADLINE_MS, DEFAULT_DEADLINE_MS, Protocol.DEFAULT_MAX_REQUEST_BYTES);
  }

  /** Reads the settings next to {@code socket}; never fails (a hook must run whatever is on disk). */
  static ClientSettings near(Path socket) {
    Path dir = socket.getParent();
    if (dir == null) {
      return defaults();
    }
    Path file = dir.resolve(SocketPaths.CLIENT_SETTINGS);
    if (!Files.isRegularFile(file)) {
      return defaults();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      return defaults();
    }
    return new ClientSettings(
        number(p, SESSION_START_DEADLINE, DEFAULT_SESSION_START_DEADLINE_MS, 1, 600_000),
        number(p, DEADLINE, DEFAULT_DEADLINE_MS, 1, 600_000),
        (int) number(p, MAX_REQUEST_BYTES, Protocol.DEFAULT_MAX_REQUEST_BYTES, 256, 256L << 20));
  }

  private static long number(Properties p, String key, long dflt, long min, long max) {
    String v = p.getProperty(key);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.trim());
      return n < min || n > max ? dflt : n;
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  long sessionStartDeadlineMs() {
    return sessionStartDeadlineMs;
  }

  long deadlineMs() {
    return deadlineMs;
  }

  int maxRequestBytes() {
    return maxRequestBytes;
  }
}
