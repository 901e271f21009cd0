package dev.loopwatch.daemon.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a config file (the daemon's, or the price overrides) when its content changes. A bad edit is
 * logged with every problem and the daemon keeps the last good version; a good one is handed on. Polls
 * the content hash every couple of seconds: cheap for one small file, and immune to editors that
 * replace files.
 *
 * @param <T> what the file loads into
 */
public final class ConfigWatcher<T> implements AutoCloseable {
  /** Loads the file; a missing file is the loader's business (usually: defaults). */
  public interface Loader<T> {
    T load(Path file) throws ConfigException;
  }

  private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Path file;
  private final Loader<T> loader;
  private final Consumer<T> onChange;
  private final Duration interval;
  private byte[] lastDigest;
  private ScheduledExecutorService executor;

  public ConfigWatcher(Path file, Loader<T> loader, Duration interval, Consumer<T> onChange) {
    this.file = file;
    this.loader = loader;
    this.interval = interval;
    this.onChange = onChange;
  }

  public synchronized void start() {
    if (executor != null) {
      return;
    }
    lastDigest = digest();
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "config-watcher");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    executor.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
  }

  void check() {
    byte[] now = digest();
    if (Arrays.equals(now, lastDigest)) {
      return;
    }
    lastDigest = now;
    try {
      T loaded = loader.load(file);
      log.info("config - {} changed; reloaded", file);
      onChange.accept(loaded);
    } catch (ConfigException e) {
      log.warn("config - {} changed but is not valid; keeping the last good configuration. {}", file, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("config - applying the reloaded {} failed; keeping the last good configuration: {}", file, e.toString());
    }
  }

  private byte[] digest() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return new byte[0];
    } catch (IOException e) {
      return lastDigest; // unreadable for a moment (being replaced): judge it at the next look
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}
