package dev.loopwatch.daemon.serverit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.server.SocketClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code daemon/loopwatchd} in a child process with an isolated environment: HOME, XDG_STATE_HOME,
 * XDG_CONFIG_HOME and XDG_RUNTIME_DIR under one temporary directory (HOME may be a corpus elsewhere),
 * nothing inherited but PATH and JAVA_HOME. Its log (stdout and stderr) goes to {@code daemon.log} there;
 * SIGTERM stops it, SIGKILL crashes it. The same root can be started again after a stop or a crash.
 */
public final class ChildDaemon implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("loopwatchd ready in \\d+ ms: listening on (\\S+), ");

  final Path root;
  final Path home;
  final Path claude;
  final Path log;
  private final Process process;
  private Path socket;

  private ChildDaemon(Path root, Path home, Path log, Process process) {
    this.root = root;
    this.home = home;
    this.claude = home.resolve(".claude");
    this.log = log;
    this.process = process;
  }

  /** The home directory, for samples to be installed before {@link #start}. */
  static Path claudeHome(Path root) {
    return root.resolve("home").resolve(".claude");
  }

  /** Starts {@code loopwatchd} with {@code yaml} as its config file and waits until it is listening. */
  static ChildDaemon start(Path root, String yaml) throws IOException {
    return start(root, yaml, "daemon.log");
  }

  /** As {@link #start(Path, String)}, logging to {@code logName} under {@code root}. */
  static ChildDaemon start(Path root, String yaml, String logName) throws IOException {
    return start(root, yaml, logName, List.of());
  }

  /**
   * As {@link #start(Path, String)}, logging to {@code logName} under {@code root}, the launcher run
   * through {@code prefix} (such as {@code setpriv --reuid=...}; the caller makes {@code root} theirs).
   */
  static ChildDaemon start(Path root, String yaml, String logName, List<String> prefix) throws IOException {
    Path config = root.resolve("config/loopwatch/loopwatch.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(config, yaml);
    return start(root, root.resolve("home"), logName, prefix);
  }

  /**
   * Starts {@code loopwatchd} on built-in defaults (or the config file already under {@code root}) with
   * {@code home} as HOME (a generated corpus: {@code home/.claude}), logging to {@code logName}.
   */
  public static ChildDaemon startWithHome(Path root, Path home, String logName) throws IOException {
    return start(root, home, logName, List.of());
  }

  private static ChildDaemon start(Path root, Path home, String logName, List<String> prefix) throws IOException {
    Files.createDirectories(root);
    Path log = root.resolve(logName);
    ChildDaemon d = new ChildDaemon(root, home, log, launch(root, home, log, prefix));
    try {
      await()
          .atMost(Duration.ofMinutes(2)) // a loaded 2-core machine
          .pollInterval(Duration.ofMillis(50))
          .until(() -> {
            if (!d.process.isAlive()) {
              throw new IllegalStateException("loopwatchd exited with " + d.process.exitValue() + ":\n" + d.log());
            }
            Matcher m = LISTENING.matcher(d.log());
            if (m.find()) {
              d.socket = Path.of(m.group(1));
              return true;
            }
            return false;
          });
    } catch (RuntimeException e) {
      d.close();
      throw e;
    }
    return d;
  }

  /**
   * Runs {@code daemon/loopwatchd} in the environment of {@code root} (its config file as it is), with
   * stdout and stderr to {@code log}.
   */
  static Process launch(Path root, Path log) throws IOException {
    return launch(root, root.resolve("home"), log, List.of());
  }

  private static Process launch(Path root, Path home, Path log, List<String> prefix) throws IOException {
    Path repo = Path.of(System.getProperty("loopwatch.repo", "..")).toAbsolutePath().normalize();
    Path launcher = repo.resolve("daemon/loopwatchd");
    if (!Files.isExecutable(launcher) || !Files.isRegularFile(repo.resolve("daemon/target/loopwatch-daemon.jar"))) {
      throw new IllegalStateException("run after `mvn package`: " + launcher + " needs daemon/target/loopwatch-daemon.jar");
    }
    Files.createDirectories(home.resolve(".claude"));
    List<String> command = new java.util.ArrayList<>(prefix);
    command.add(launcher.toString());
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    String path = env.get("PATH");
    String javaHome = env.get("JAVA_HOME");
    env.clear();
    env.put("PATH", path == null ? "/usr/bin:/bin" : path);
    if (javaHome != null) {
      env.put("JAVA_HOME", javaHome);
    }
    env.put("HOME", home.toString());
    env.put("XDG_STATE_HOME", root.resolve("state").toString());
    env.put("XDG_CONFIG_HOME", root.resolve("config").toString());
    env.put("XDG_RUNTIME_DIR", root.resolve("run").toString());
    pb.directory(root.toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    return pb.start();
  }

  Path socket() {
    return socket;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Where the daemon started on {@code root} keeps its state. */
  public static Path stateDir(Path root) {
    return root.resolve("state").resolve("loopwatch");
  }

  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A number from {@code /proc/<pid>/status}: {@code VmHWM} (peak RSS, kB), {@code VmRSS} (kB), {@code Threads}. */
  long procStatus(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
      }
    }
    throw new IllegalStateException(field + " not in /proc/" + pid() + "/status");
  }

  /** Open file descriptors of the process. */
  long openFiles() throws IOException {
    try (var s = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
      return s.count();
    }
  }

  /** CPU time the process has used so far (user + system), in ms. */
  long cpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    return ticks * 1000 / 100; // USER_HZ is 100 on Linux
  }

  /** Waits until the ingest and the store have caught up with the transcripts. */
  void awaitCaughtUp() {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> caughtUp(status()));
  }

  /** Ingest and store caught up with every file, nothing in flight. */
  public static boolean caughtUp(JsonNode status) {
    return status.path("ingest").path("caughtUp").asBoolean()
        && status.path("ingest").path("backlog").asInt() == 0
        && status.path("journal").path("backlog").asInt() == 0
        && status.path("store").path("caughtUp").asBoolean()
        && status.path("store").path("lagDocuments").asLong() == 0;
  }

  /** The answer's {@code result} to one request on a fresh connection; fails on an error answer. */
  public JsonNode ask(String op, Map<String, ?> args, Duration within) throws IOException {
    try (SocketClient c = SocketClient.connect(socket)) {
      c.sendLine(SocketClient.JSON.writeValueAsString(Map.of("v", 1, "id", op + "-1", "op", op, "args", args)));
      JsonNode answer = SocketClient.JSON.readTree(c.readLine(within));
      if (!answer.path("ok").asBoolean()) {
        throw new IllegalStateException(op + " failed: " + answer);
      }
      return answer.path("result");
    }
  }

  public JsonNode status() throws IOException {
    return ask("status", Map.of(), Duration.ofSeconds(30));
  }

  /** SIGKILL: what a crash leaves behind (the socket file, among others). */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("loopwatchd " + pid() + " survived SIGKILL");
    }
  }

  /** SIGTERM, and the exit status (143 after a clean stop). */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("loopwatchd did not stop within 60 s of SIGTERM:\n" + log());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
