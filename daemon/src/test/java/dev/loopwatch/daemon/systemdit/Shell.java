package dev.loopwatch.daemon.systemdit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands the way a user's shell would, but with an environment the test names completely (nothing
 * inherited but what is passed), and the combined output captured.
 */
final class Shell {
  /** A finished command: its exit status and everything it wrote (stdout and stderr, interleaved). */
  record Result(List<String> command, int exit, String output) {
    Result assertOk() {
      if (exit != 0) {
        throw new AssertionError(String.join(" ", command) + " exited with " + exit + ":\n" + output);
      }
      return this;
    }
  }

  private Shell() {}

  /** The environment of a user whose HOME and XDG directories all live under {@code root}. */
  static Map<String, String> isolatedEnv(Path root) {
    Map<String, String> env = minimalEnv(root.resolve("home"));
    env.put("XDG_CONFIG_HOME", root.resolve("config").toString());
    env.put("XDG_STATE_HOME", root.resolve("state").toString());
    env.put("XDG_RUNTIME_DIR", root.resolve("run").toString());
    return env;
  }

  /** PATH, JAVA_HOME (when set), LANG and HOME: what every command here needs. */
  static Map<String, String> minimalEnv(Path home) {
    Map<String, String> env = new TreeMap<>();
    String path = System.getenv("PATH");
    env.put("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path);
    String javaHome = System.getenv("JAVA_HOME");
    if (javaHome != null) {
      env.put("JAVA_HOME", javaHome);
    }
    env.put("LANG", "C.UTF-8");
    env.put("HOME", home.toString());
    return env;
  }

  /** Creates the directories {@link #isolatedEnv} names, the runtime directory private as systemd makes it. */
  static void createDirs(Map<String, String> env) throws IOException {
    for (String key : List.of("HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR")) {
      if (env.containsKey(key)) {
        Files.createDirectories(Path.of(env.get(key)));
      }
    }
    if (env.containsKey("XDG_RUNTIME_DIR")) {
      Files.setPosixFilePermissions(Path.of(env.get("XDG_RUNTIME_DIR")), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }

  static Result run(Map<String, String> env, Duration timeout, String... command) {
    return run(env, null, timeout, List.of(command));
  }

  static Result run(Map<String, String> env, Path dir, Duration timeout, List<String> command) {
    try {
      Path out = Files.createTempFile("loopwatch-it-", ".out");
      try {
        Process p = builder(env, dir, command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
              + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Result(List.copyOf(command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Starts a long-running command with its output going to {@code log}. */
  static Process start(Map<String, String> env, Path dir, Path log, List<String> command) throws IOException {
    return builder(env, dir, command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static ProcessBuilder builder(Map<String, String> env, Path dir, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
    pb.environment().clear();
    pb.environment().putAll(env);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return pb;
  }
}
