package dev.loopwatch.daemon.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The real daemon as a child process, started through the launcher {@code daemon/loopwatchd} with an
 * environment that only knows the sandbox. Its stdout and stderr are captured line by line (and copied
 * to {@code <sandbox>/daemon-N.log} and to this JVM's stdout), so tests can wait for log lines.
 */
final class DaemonProcess implements AutoCloseable {
  static final String READY = "loopwatchd ready";
  static final String CAUGHT_UP = "ingest caught up:";
  private static final AtomicInteger STARTS = new AtomicInteger();

  private final Process process;
  private final long pid;
  private final String label;
  private final List<String> lines = new ArrayList<>();
  private final Thread pump;
  private final long startedNanos = System.nanoTime();

  private DaemonProcess(Process process, String label, Path logFile) {
    this.process = process;
    this.pid = process.pid();
    this.label = label;
    this.pump = new Thread(() -> pump(logFile), "daemon-output-" + label);
    pump.setDaemon(true);
    pump.start();
  }

  /** The repository root (failsafe passes it as {@code loopwatch.repo}). */
  static Path repo() {
    String p = System.getProperty("loopwatch.repo");
    Path repo = p != null ? Path.of(p) : Path.of("").toAbsolutePath().getParent();
    assertTrue(Files.isRegularFile(repo.resolve("daemon/loopwatchd")), "no launcher under " + repo);
    assertTrue(
        Files.isRegularFile(repo.resolve("daemon/target/loopwatch-daemon.jar")),
        "daemon/target/loopwatch-daemon.jar is not built: these tests run after `mvn package`");
    return repo;
  }

  static DaemonProcess start(Sandbox s) {
    return start(s, Map.of());
  }

  /** Starts {@code loopwatchd --config <sandbox>/lw.yaml}; {@code extraEnv} adds variables. */
  static DaemonProcess start(Sandbox s, Map<String, String> extraEnv) {
    int n = STARTS.incrementAndGet();
    String label = "d" + n;
    ProcessBuilder pb =
        new ProcessBuilder(repo().resolve("daemon/loopwatchd").toString(), "--config", s.configFile.toString());
    Map<String, String> env = pb.environment();
    String path = env.getOrDefault("PATH", "/usr/bin:/bin");
    env.clear(); // nothing of the developer's environment: no CLAUDE_CONFIG_DIR, no LOOPWATCH_JAVA_OPTS
    env.put("PATH", path);
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("LANG", "C.UTF-8");
    env.put("HOME", s.home.toString());
    env.put("XDG_STATE_HOME", s.stateHome.toString());
    env.put("XDG_CONFIG_HOME", s.configHome.toString());
    env.put("XDG_RUNTIME_DIR", s.runtimeDir.toString());
    env.putAll(extraEnv);
    pb.directory(s.root.toFile());
    pb.redirectErrorStream(true);
    try {
      return new DaemonProcess(pb.start(), label, s.root.resolve("daemon-" + n + ".log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void pump(Path logFile) {
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer log =
            Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (lines) {
          lines.add(line);
        }
        log.write(line);
        log.write('\n');
        log.flush();
        System.out.println("[" + label + " pid " + pid + "] " + line);
      }
    } catch (IOException e) {
      // the process went away: its output ends here
    }
  }

  long pid() {
    return pid;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the daemon printed so far. */
  List<String> output() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The first output line containing {@code text}, or {@code null}. */
  String line(String text) {
    synchronized (lines) {
      for (String l : lines) {
        if (l.contains(text)) {
          return l;
        }
      }
    }
    return null;
  }

  /** Waits for an output line containing {@code text}; fails early if the daemon dies. */
  String awaitLine(String text, Duration atMost) {
    await("daemon " + label + " prints '" + text + "'")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> {
          if (line(text) != null) {
            return true;
          }
          if (!process.isAlive()) {
            throw new AssertionError("daemon " + label + " exited with " + process.exitValue() + " before printing '" + text + "':\n" + String.join("\n", output()));
          }
          return false;
        });
    return line(text);
  }

  DaemonProcess awaitReady() {
    awaitLine(READY, Duration.ofSeconds(30));
    return this;
  }

  /** The "ingest caught up" line, once the backfill of everything present at start is journaled. */
  String awaitCaughtUp(Duration atMost) {
    return awaitLine(CAUGHT_UP, atMost);
  }

  /** SIGKILL; returns once the process is gone (exit status 137). */
  void kill9() {
    process.destroyForcibly();
    int status = waitFor(Duration.ofSeconds(10));
    assertEquals(137, status, "exit status after SIGKILL");
    joinPump();
  }

  /** SIGTERM; returns the exit status (the JVM answers SIGTERM with 143 after its shutdown hooks). */
  int terminate(Duration atMost) {
    process.destroy();
    int status = waitFor(atMost);
    joinPump();
    return status;
  }

  /** SIGTERM, asserting a clean stop (status 143 or 0) within 10 s. */
  void stop() {
    long t0 = System.nanoTime();
    int status = terminate(Duration.ofSeconds(10));
    assertTrue(status == 143 || status == 0, "exit status after SIGTERM: " + status);
    System.out.printf("[%s] stopped by SIGTERM in %d ms%n", label, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  private int waitFor(Duration atMost) {
    try {
      if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("daemon " + label + " did not exit within " + atMost);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private void joinPump() {
    try {
      pump.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends a signal with kill(1), e.g. {@code STOP} or {@code CONT}. */
  void signal(String name) {
    try {
      Process k = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
      assertTrue(k.waitFor(10, TimeUnit.SECONDS) && k.exitValue() == 0, "kill -" + name + " " + pid);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Open file descriptors, from /proc; -1 once the process is gone. */
  int openFds() {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) fds.count();
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The targets of the open descriptors ({@code socket:[123]}, {@code anon_inode:inotify}, paths). */
  List<String> fdTargets() {
    List<String> out = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          out.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** A {@code kB} value of /proc/PID/status, e.g. {@code VmHWM} (peak RSS) or {@code VmRSS}. */
  long statusKb(String key) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (l.startsWith(key + ":")) {
          return Long.parseLong(l.substring(key.length() + 1).replace("kB", "").trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no " + key + " in /proc/" + pid + "/status");
  }

  /** The process state of /proc/PID/status, e.g. {@code "S (sleeping)"} or {@code "T (stopped)"}. */
  String state() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (l.startsWith("State:")) {
          return l.substring("State:".length()).trim();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "?";
  }

  /** The process's command line (the launcher exec'd java, so this is the JVM's). */
  List<String> commandLine() {
    try {
      String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
      return List.of(raw.split("\0"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long millisSinceStart() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    joinPump();
  }
}
