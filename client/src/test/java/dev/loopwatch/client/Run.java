package dev.loopwatch.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One in-process run of {@link Main#run}: its exit status, stdout, stderr and wall time. */
record Run(int exit, String out, String err, long millis) {

  /** Runs {@code args} with an empty stdin and {@code env}. */
  static Run of(Map<String, String> env, String... args) {
    return with(new ByteArrayInputStream(new byte[0]), env, args);
  }

  static Run with(String stdin, Map<String, String> env, String... args) {
    return with(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env, args);
  }

  static Run with(InputStream stdin, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    int exit = Main.run(args, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), ms);
  }

  /** {@code --socket path} and then {@code args}. */
  static String[] at(java.nio.file.Path socket, String... args) {
    List<String> all = new ArrayList<>(List.of("--socket", socket.toString()));
    all.addAll(List.of(args));
    return all.toArray(new String[0]);
  }

  /** A test environment: times in UTC, HOME in a temporary directory, nothing else. */
  static Map<String, String> env(java.nio.file.Path home) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("TZ", "UTC");
    return env;
  }
}
