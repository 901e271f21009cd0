package dev.loopwatch.daemon.storeit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.server.SocketClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code daemon/loopwatchd} in a child process reading the Claude home of {@code home} (a corpus made by
 * the generator: {@code home/.claude}), its state, config and runtime directories under {@code root}, and
 * nothing else inherited but PATH and JAVA_HOME. The same root can be started again after a stop or a
 * crash: that is the point. Each start logs to its own file.
 */
final class DaemonProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("loopwatchd ready in \\d+ ms: listening on (\\S+), ");

  final Path log;
  private final Process process;
  private final Path socket;

  private DaemonProcess(Path log, Process process, Path socket) {
    this.log = log;
    this.process = process;
    this.socket = socket;
  }

  /** Where the daemon keeps its state under {@code root}. */
  static Path stateDir(Path root) {
    return root.resolve("state").resolve("loopwatch");
  }

  /** Starts the daemon and waits (up to 2 min on a loaded machine) until it is listening. */
  static DaemonProcess start(Path root, Path home, String logName) throws IOException {
    Path repo = Path.of(System.getProperty("loopwatch.repo", "..")).toAbsolutePath().normalize();
    Path launcher = repo.resolve("daemon/loopwatchd");
    if (!Files.isRegularFile(repo.resolve("daemon/target/loopwatch-daemon.jar"))) {
      throw new IllegalStateException("run after `mvn package`: " + launcher + " needs daemon/target/loopwatch-daemon.jar");
    }
    for (String dir : new String[] {"state", "config", "run"}) {
      Files.createDirectories(root.resolve(dir));
    }
    Files.setPosixFilePermissions(root.resolve("run"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    ProcessBuilder pb = new ProcessBuilder(launcher.toString());
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
    Path log = root.resolve(logName);
    pb.directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    Path[] socket = new Path[1];
    try {
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> {
            String text = read(log);
            Matcher m = READY.matcher(text);
            if (m.find()) {
              socket[0] = Path.of(m.group(1));
              return true;
            }
            if (!p.isAlive()) {
              throw new IllegalStateException("loopwatchd exited with " + p.exitValue() + ":\n" + text);
            }
            return false;
          });
    } catch (RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
    return new DaemonProcess(log, p, socket[0]);
  }

  long pid() {
    return process.pid();
  }

  String log() {
    return read(log);
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The answer's {@code result} to one request on a fresh connection; fails on an error answer. */
  JsonNode ask(String op, Map<String, ?> args, Duration within) throws IOException {
    try (SocketClient c = SocketClient.connect(socket)) {
      String line = SocketClient.JSON.writeValueAsString(Map.of("v", 1, "id", op + "-1", "op", op, "args", args));
      c.sendLine(line);
      JsonNode answer = SocketClient.JSON.readTree(c.readLine(within));
      if (!answer.path("ok").asBoolean()) {
        throw new IllegalStateException(op + " failed: " + answer);
      }
      return answer.path("result");
    }
  }

  JsonNode status() throws IOException {
    return ask("status", Map.of(), Duration.ofSeconds(30));
  }

  /** Ingest and store caught up with every file, nothing in flight. */
  static boolean caughtUp(JsonNode status) {
    return status.path("ingest").path("caughtUp").asBoolean()
        && status.path("ingest").path("backlog").asInt() == 0
        && status.path("journal").path("backlog").asInt() == 0
        && status.path("store").path("caughtUp").asBoolean()
        && status.path("store").path("lagDocuments").asLong() == 0;
  }

  /** SIGKILL: a crash at this very moment. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("loopwatchd " + pid() + " survived SIGKILL");
    }
  }

  /** SIGTERM, and the exit status (143 after a clean stop). */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("loopwatchd did not stop within 60 s of SIGTERM:\n" + log());
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
