package dev.loopwatch.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.protocol.Json;
import dev.loopwatch.protocol.Protocol;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook as Claude Code runs it: a child process through the {@code client/loopwatch} launcher, with
 * the JVM flags and AppCDS archive of the build. Here the deadline halts the JVM. Each run must end
 * within its deadline plus a second (a loaded machine starts a JVM slowly), exit 0, and print nothing
 * but a SessionStart's context.
 */
class LauncherIT {
  static final Path REPO = Path.of(System.getProperty("loopwatch.repo", "..")).toAbsolutePath().normalize();
  static final Path LAUNCHER = REPO.resolve("client").resolve("loopwatch");
  static final long SLACK_MS = 1000;

  @TempDir Path dir;
  Path socket;

  /** What a child process did. */
  record Child(int exit, String out, String err, long millis) {}

  @BeforeEach
  void socket() {
    socket = dir.resolve("d.sock");
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv("PATH"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("HOME", dir.resolve("home").toString());
    env.put("LOOPWATCH_SOCKET", socket.toString());
    env.put("TZ", "UTC");
    return env;
  }

  private Child run(String stdin, Map<String, String> env, Path launcher, String... args) throws Exception {
    Path in = dir.resolve("stdin");
    Files.writeString(in, stdin);
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(in.toFile())
        .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still running after 60 s: " + command);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    return new Child(p.exitValue(), Files.readString(dir.resolve("stdout")), Files.readString(dir.resolve("stderr")), ms);
  }

  private Child hook(String stdin) throws Exception {
    return run(stdin, env(), LAUNCHER, "hook");
  }

  private static void assertHookWithin(long deadlineMs, Child c) {
    assertEquals(0, c.exit(), c.err());
    assertEquals("", c.out());
    assertTrue(c.millis() <= deadlineMs + SLACK_MS, "took " + c.millis() + " ms; deadline " + deadlineMs + " ms");
  }

  @Test
  void daemonDown() throws Exception {
    assertHookWithin(ClientSettings.DEFAULT_SESSION_START_DEADLINE_MS, hook(HookCommandTest.SESSION_START));
    assertHookWithin(ClientSettings.DEFAULT_DEADLINE_MS, hook(HookCommandTest.STOP));
  }

  @Test
  void socketFileWithNobodyListening() throws Exception {
    ExitCodesTest.staleSocket(socket);
    Child c = hook(HookCommandTest.STOP);
    assertHookWithin(ClientSettings.DEFAULT_DEADLINE_MS, c);
    assertTrue(c.err().contains("Connection refused"), c.err());
  }

  @Test
  void aDaemonThatAcceptsAndNeverAnswers() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(socket).mode(FakeDaemon.Mode.SILENT)) {
      Child stop = hook(HookCommandTest.STOP);
      assertHookWithin(ClientSettings.DEFAULT_DEADLINE_MS, stop);
      Child start = hook(HookCommandTest.SESSION_START);
      assertHookWithin(ClientSettings.DEFAULT_SESSION_START_DEADLINE_MS, start);
      assertTrue(start.millis() >= ClientSettings.DEFAULT_SESSION_START_DEADLINE_MS, "halted early: " + start.millis());
      System.out.printf("hung daemon: Stop returned after %d ms, SessionStart after %d ms%n", stop.millis(), start.millis());
    }
  }

  @Test
  void aDaemonThatNeverReads() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(socket).mode(FakeDaemon.Mode.DEAF)) {
      // about 280 KB: more than the socket buffers hold, so the write blocks
      assertHookWithin(ClientSettings.DEFAULT_DEADLINE_MS, hook(HookInputTest.postToolUse(120_000)));
    }
  }

  @Test
  void stdinThatNeverEnds() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "hook")
        .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
    pb.environment().clear();
    pb.environment().putAll(env());
    long t0 = System.nanoTime();
    Process p = pb.start();
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write("{\"hook_event_name\":".getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the hook waits for stdin forever");
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertHookWithin(ClientSettings.DEFAULT_SESSION_START_DEADLINE_MS,
        new Child(p.exitValue(), Files.readString(dir.resolve("stdout")), Files.readString(dir.resolve("stderr")), ms));
  }

  /** Gives the hook all the time a loaded machine may need: for checks of what it sends and prints. */
  private void roomy() throws IOException {
    Files.writeString(dir.resolve("client.properties"), "hook.deadlineMs=30000\nhook.sessionStartDeadlineMs=30000\n");
  }

  @Test
  void sessionStartPrintsTheContextAndNothingElse() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(socket)) {
      Child c = hook(HookCommandTest.SESSION_START);
      assertEquals(0, c.exit(), c.err());
      assertTrue(c.millis() <= ClientSettings.DEFAULT_SESSION_START_DEADLINE_MS + SLACK_MS, c.millis() + " ms");
      if (c.out().isEmpty()) { // allowed only when the machine was too busy to answer within the deadline
        assertTrue(c.err().contains("deadline"), "no context and no deadline: " + c.err());
      } else {
        assertEquals(HookCommandTest.CONTEXT + "\n", c.out());
      }
      d.forget();
      roomy();
      c = hook(HookCommandTest.SESSION_START);
      assertEquals(0, c.exit(), c.err());
      assertEquals(HookCommandTest.CONTEXT + "\n", c.out());
      assertEquals(Map.of("payload", Json.parse(HookCommandTest.SESSION_START)), d.requestJson().get("args"));
    }
  }

  @Test
  void otherEventsPrintNothing() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(socket)) {
      assertHookWithin(ClientSettings.DEFAULT_DEADLINE_MS, hook(HookCommandTest.STOP));
      d.forget();
      roomy();
      assertHookWithin(30_000, hook(HookCommandTest.STOP));
      assertEquals("Stop", Fields.str(Fields.map(d.requestJson().get("args"), "payload"), "hook_event_name"));
    }
  }

  @Test
  void garbage() throws Exception {
    try (FakeDaemon d = FakeDaemon.start(socket)) {
      assertHookWithin(ClientSettings.DEFAULT_DEADLINE_MS, hook("this is { not json"));
      d.forget();
      roomy();
      assertHookWithin(30_000, hook("this is { not json"));
      assertEquals(Map.of("raw", "this is { not json"), d.requestJson().get("args"));
    }
  }

  @Test
  void aFiveMegabytePayload() throws Exception {
    String big = HookInputTest.fiveMegabytePostToolUse();
    try (FakeDaemon d = FakeDaemon.start(socket)) {
      // Within the default 300 ms (from main) the request may or may not be made on a loaded machine;
      // either way the hook ends in time, and what it sends fits.
      Child c = hook(big);
      assertHookWithin(ClientSettings.DEFAULT_DEADLINE_MS, c);
      String line = d.requestWithin(Duration.ofMillis(200));
      System.out.printf("5 MB PostToolUse, 300 ms deadline: %d ms, request %s%n", c.millis(),
          line == null ? "not made in time" : line.getBytes(StandardCharsets.UTF_8).length + " bytes");
      if (line != null) {
        assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= Protocol.DEFAULT_MAX_REQUEST_BYTES);
      }
      // With room enough, the request is made, and cut below the limit.
      roomy();
      c = hook(big);
      assertHookWithin(30_000, c);
      line = d.request();
      assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= Protocol.DEFAULT_MAX_REQUEST_BYTES, line.length() + " chars");
      Map<?, ?> payload = Fields.map(Json.parseObject(line).get("args"), "payload");
      assertEquals("PostToolUse", payload.get("hook_event_name"));
      System.out.printf("5 MB PostToolUse, 30 s deadline: %d ms, request %d bytes%n", c.millis(),
          line.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void pingWithoutADaemonExitsThree() throws Exception {
    Child c = run("", env(), LAUNCHER, "ping");
    assertEquals(Exit.UNREACHABLE, c.exit());
    assertEquals("", c.out());
    assertTrue(c.err().startsWith("loopwatch: cannot connect to " + socket + " (No such file or directory)\n"), c.err());
    assertTrue(c.err().contains("systemctl --user status loopwatch"), c.err());
  }

  @Test
  void theBuildsArchiveMapsUnderTheLaunchersClassPath() throws Exception {
    Map<String, String> env = env();
    env.put("LOOPWATCH_CLIENT_JAVA_OPTS", "-Xshare:on"); // the JVM refuses to start if the archive does not map
    Child c = run("", env, LAUNCHER, "--version");
    assertEquals(0, c.exit(), c.err());
    assertTrue(c.out().startsWith("loopwatch "), c.out());
    assertEquals("", c.err());
  }

  @Test
  void installHooksWritesTheLaunchersPath() throws Exception {
    Child c = run("", env(), LAUNCHER, "install-hooks");
    assertEquals(0, c.exit(), c.err());
    Path settings = dir.resolve("home").resolve(".claude").resolve("settings.json");
    String command = Fields.str(
        ((List<?>) Fields.get(Fields.list(Fields.map(Json.parseObject(Files.readString(settings)), "hooks"), "SessionStart").get(0),
            "hooks")).get(0), "command");
    assertEquals(LAUNCHER + " hook", command);
  }

  @Test
  void theClientNeedsNothingButTheProtocolAtRunTime() throws IOException {
    try (Stream<Path> jars = Files.list(REPO.resolve("client").resolve("target").resolve("lib"))) {
      List<String> names = jars.map(p -> p.getFileName().toString()).toList();
      assertEquals(1, names.size(), names.toString());
      assertTrue(names.get(0).startsWith("loopwatch-protocol-"), names.toString());
    }
  }

  /**
   * An installed layout ({@code <prefix>/bin}, {@code <prefix>/share/loopwatch/lib}) with the build's
   * archive copied in: it was dumped under other paths, so the launcher does not use it but makes its
   * own in the background; JVM warnings about an archive that does not fit go to stderr, never stdout.
   */
  @Test
  void anInstalledLayoutMakesItsOwnArchiveAndKeepsStdoutClean() throws Exception {
    Path prefix = dir.resolve("prefix");
    Path bin = Files.createDirectories(prefix.resolve("bin"));
    Path lib = Files.createDirectories(prefix.resolve("share").resolve("loopwatch").resolve("lib"));
    Path target = REPO.resolve("client").resolve("target");
    Files.copy(LAUNCHER, bin.resolve("loopwatch"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(target.resolve("loopwatch-client.jar"), lib.resolve("loopwatch-client.jar"));
    try (Stream<Path> jars = Files.list(target.resolve("lib"))) {
      for (Path jar : jars.toList()) {
        Files.copy(jar, lib.resolve(jar.getFileName()));
      }
    }
    Path archive = lib.resolve("loopwatch-client.jsa");
    Files.copy(target.resolve("loopwatch-client.jsa"), archive);
    Files.copy(target.resolve("loopwatch-client.jsa.classpath"), lib.resolve("loopwatch-client.jsa.classpath"));
    Path installed = bin.resolve("loopwatch");
    roomy(); // this is about archives and output, not time: without its archive, a loaded machine is slow

    try (FakeDaemon d = FakeDaemon.start(socket)) {
      // Forced onto the foreign archive: the JVM complains, on stderr only.
      Map<String, String> env = env();
      env.put("LOOPWATCH_CLIENT_JAVA_OPTS", "-XX:SharedArchiveFile=" + target.resolve("loopwatch-client.jsa"));
      env.put("LOOPWATCH_CDS", "off");
      Child forced = run(HookCommandTest.SESSION_START, env, installed, "hook");
      assertEquals(0, forced.exit());
      assertEquals(HookCommandTest.CONTEXT + "\n", forced.out());
      assertTrue(forced.err().contains("[warning][cds"), "expected the JVM's archive warning on stderr: " + forced.err());

      // Left alone, it replaces the foreign archive with its own, in the background.
      Child first = run(HookCommandTest.SESSION_START, env(), installed, "hook");
      assertEquals(HookCommandTest.CONTEXT + "\n", first.out());
      assertEquals("", first.err());
      Path stamp = lib.resolve("loopwatch-client.jsa.classpath");
      String expected;
      try (Stream<Path> protocol = Files.list(lib).filter(p -> p.getFileName().toString().startsWith("loopwatch-protocol-"))) {
        expected = lib.toRealPath().resolve("loopwatch-client.jar") + ":" + lib.toRealPath().resolve(protocol.findFirst().orElseThrow().getFileName());
      }
      // The stamp is renamed into place after the archive: once it matches, the archive is there.
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(stamp).strip().equals(expected));
      Map<String, String> strict = env();
      strict.put("LOOPWATCH_CLIENT_JAVA_OPTS", "-Xshare:on");
      Child mapped = run(HookCommandTest.SESSION_START, strict, installed, "hook");
      assertEquals(HookCommandTest.CONTEXT + "\n", mapped.out());
      assertEquals("", mapped.err());
      try (Stream<Path> files = Files.list(lib)) {
        assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary files left");
      }
    }
  }
}
