package dev.loopwatch.daemon.systemdit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd user unit and the installers, run for real in a temporary HOME (HOME, XDG_CONFIG_HOME,
 * XDG_STATE_HOME, XDG_RUNTIME_DIR all temporary; there is no user systemd manager, so install.sh takes
 * its "no systemctl --user" path):
 *
 * <ul>
 *   <li>{@code systemd-analyze --user verify} accepts the unit without a single line of output (it
 *       exits 0 on warnings, so any output fails);
 *   <li>install.sh puts every file in place, without Chronicle's analytics jar, tells how to run the
 *       daemon in the foreground, and that command starts a daemon the installed client can ping;
 *       installing again gives the same files and still works; {@code --hooks} adds hooks that call the
 *       installed client; uninstall.sh removes everything but the state (and our hooks only), {@code
 *       --purge} the state too;
 *   <li>the unit's {@code ExecStart} line, run by hand as the user manager would run it, starts a daemon
 *       that answers, and stops on SIGTERM with 143 or 0 within {@code TimeoutStopSec}.
 * </ul>
 *
 * Needs the daemon and client jars ({@code mvn package}); runs after them in {@code mvn verify}.
 */
class SystemdIT {
  private static final Path REPO = Path.of(System.getProperty("loopwatch.repo", "..")).toAbsolutePath().normalize();
  private static final Path UNIT = REPO.resolve("systemd/loopwatch.service");
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern READY = Pattern.compile("loopwatchd ready in \\d+ ms: listening on (\\S+), ");
  private static final ObjectMapper JSON = new ObjectMapper();

  // ------------------------------------------------------------------ the unit file

  @Test
  void unitPassesSystemdAnalyzeVerifyWithoutAnyOutput(@TempDir Path tmp) throws Exception {
    String analyze = systemdAnalyze();
    Map<String, String> env = Shell.minimalEnv(tmp.resolve("home"));
    env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString()); // --user verify needs one (else "No such device")
    Shell.createDirs(env);
    Shell.Result r = Shell.run(env, null, Duration.ofMinutes(2), List.of(analyze, "--user", "verify", UNIT.toString()));
    assertEquals("", r.output(), "systemd-analyze --user verify must print nothing (it exits 0 even on warnings)");
    assertEquals(0, r.exit(), "systemd-analyze --user verify exit status");
  }

  // ------------------------------------------------------------------ install.sh / uninstall.sh

  @Test
  void installRunReinstallHooksUninstallPurge(@TempDir Path tmp) throws Exception {
    Map<String, String> env = Shell.isolatedEnv(tmp);
    Shell.createDirs(env);
    Path home = Path.of(env.get("HOME"));
    Path bin = home.resolve(".local/bin");
    Path share = home.resolve(".local/share/loopwatch");
    Path unit = tmp.resolve("config/systemd/user/loopwatch.service"); // $XDG_CONFIG_HOME/systemd/user
    Path state = tmp.resolve("state/loopwatch");

    // A user's own settings, to be kept through install --hooks and uninstall.
    Path settings = home.resolve(".claude/settings.json");
    Files.createDirectories(settings.getParent());
    String userSettings =
        "{\n  \"model\": \"opus\",\n  \"hooks\": {\n    \"PreToolUse\": [{\"matcher\": \"Bash\", \"hooks\":"
            + " [{\"type\": \"command\", \"command\": \"/usr/local/bin/my-guard.sh\"}]}],\n    \"SessionStart\":"
            + " [{\"hooks\": [{\"type\": \"command\", \"command\": \"echo hello\"}]}]\n  }\n}\n";
    Files.writeString(settings, userSettings);

    // 1. install, without systemd
    Shell.Result install = install(env);
    assertTrue(install.output().contains("systemctl --user is not available"), install.output());
    String foreground = foregroundCommand(install.output());
    assertEquals(bin.resolve("loopwatchd").toString(), foreground, "the printed foreground command");
    assertInstalled(home, unit);
    assertEquals(userSettings, Files.readString(settings), "install without --hooks leaves settings.json alone");
    // the client's start-up archive is made for the installed jars before install.sh returns, and maps
    assertTrue(Files.isRegularFile(share.resolve("lib/loopwatch-client.jsa")), "no class-data archive after install.sh");
    assertTrue(Files.isRegularFile(share.resolve("loopwatch-daemon.jsa")), "no daemon class-data archive after install.sh");
    Map<String, String> strict = new TreeMap<>(env);
    strict.put("LOOPWATCH_CLIENT_JAVA_OPTS", "-Xshare:on"); // the JVM refuses to start if the archive does not map
    Shell.Result version = Shell.run(strict, home, CLIENT_TIMEOUT, List.of(bin.resolve("loopwatch").toString(), "--version"));
    assertEquals(0, version.exit(), "the installed client with its archive mapped: " + version.output());

    // 2. the printed command starts a daemon that the installed client reaches
    runAndPing(env, home, List.of("/bin/sh", "-c", "exec " + foreground), tmp.resolve("daemon-1.log"));
    assertTrue(Files.isDirectory(state.resolve("journal")), "the daemon keeps its journal in " + state);

    // 3. install again: the same files, and it still works
    Map<String, String> first = listing(home.resolve(".local"), unit.getParent());
    install(env);
    Map<String, String> second = listing(home.resolve(".local"), unit.getParent());
    assertEquals(Map.of(), difference(first, second), "a second install gives the same files (path, mode, size, sha-256)");
    runAndPing(env, home, List.of("/bin/sh", "-c", "exec " + foreground), tmp.resolve("daemon-2.log"));

    // 4. --hooks: every one of our events calls the installed client; the user's entries stay
    install(env, "--hooks");
    String hookCommand = bin.resolve("loopwatch") + " hook";
    JsonNode withHooks = JSON.readTree(settings.toFile());
    assertEquals("opus", withHooks.path("model").asText());
    for (String event : List.of("SessionStart", "SessionEnd", "Stop", "SubagentStop", "UserPromptSubmit", "PostToolUse",
        "PostToolUseFailure")) {
      assertEquals(List.of(hookCommand), ourCommands(withHooks, event), event + " hooks in " + withHooks);
    }
    assertTrue(withHooks.toString().contains("/usr/local/bin/my-guard.sh") && withHooks.toString().contains("echo hello"),
        "the user's own hooks are kept: " + withHooks);
    // the hook runs (as Claude Code runs it: a shell command line) and exits 0 with the daemon down
    Path payload = tmp.resolve("payload.json");
    Files.writeString(payload, "{\"session_id\":\"s1\",\"hook_event_name\":\"SessionStart\",\"source\":\"startup\",\"cwd\":\"/tmp\"}");
    Shell.Result hook = Shell.run(env, home, CLIENT_TIMEOUT, List.of("/bin/sh", "-c", hookCommand + " < " + payload));
    assertEquals(0, hook.exit(), "the installed hook exits 0 with the daemon down: " + hook.output());
    // installing the hooks twice does not duplicate them
    install(env, "--hooks");
    assertEquals(List.of(hookCommand), ourCommands(JSON.readTree(settings.toFile()), "SessionStart"));

    // 5. uninstall: unit, commands, jars and our hooks gone; the user's hooks and the state stay
    Shell.Result uninstall = Shell.run(env, home, INSTALL_TIMEOUT, List.of(REPO.resolve("systemd/uninstall.sh").toString()))
        .assertOk();
    for (Path gone : List.of(unit, bin.resolve("loopwatchd"), bin.resolve("loopwatch"), share)) {
      assertFalse(Files.exists(gone), gone + " still exists after uninstall.sh:\n" + uninstall.output());
    }
    assertEquals(JSON.readTree(userSettings), JSON.readTree(settings.toFile()), "uninstall leaves exactly the user's settings");
    assertTrue(Files.isDirectory(state.resolve("journal")) && Files.isDirectory(state.resolve("store")),
        "uninstall keeps the state in " + state + ":\n" + uninstall.output());
    assertTrue(uninstall.output().contains("--purge"), uninstall.output());

    // 6. install again, then uninstall --purge: the state goes too
    install(env);
    Shell.run(env, home, INSTALL_TIMEOUT, List.of(REPO.resolve("systemd/uninstall.sh").toString(), "--purge")).assertOk();
    for (Path gone : List.of(unit, bin.resolve("loopwatchd"), bin.resolve("loopwatch"), share, state)) {
      assertFalse(Files.exists(gone), gone + " still exists after uninstall.sh --purge");
    }
  }

  // ------------------------------------------------------------------ the unit's ExecStart

  @Test
  void execStartLineStartsTheDaemonAndSigtermStopsIt(@TempDir Path tmp) throws Exception {
    Map<String, String> installEnv = Shell.isolatedEnv(tmp);
    Shell.createDirs(installEnv);
    install(installEnv);
    Path home = Path.of(installEnv.get("HOME"));
    Path unit = tmp.resolve("config/systemd/user/loopwatch.service");
    assertEquals(Files.readString(UNIT), Files.readString(unit), "the installed unit is the repository's");

    Map<String, String> service = section(Files.readString(unit), "Service");
    List<String> execStart = splitCommandLine(service.get("ExecStart").replace("%h", home.toString()));
    assertFalse(String.join(" ", execStart).contains("%"), "an unexpanded specifier in ExecStart: " + execStart);
    long timeoutStop = seconds(service.get("TimeoutStopSec"));
    Set<String> success = new TreeSet<>(List.of(service.getOrDefault("SuccessExitStatus", "").split("\\s+")));
    assertTrue(success.contains("143"), "SuccessExitStatus must accept the JVM's 143 after SIGTERM: " + success);

    // As the user manager runs it: HOME and XDG_RUNTIME_DIR set, no XDG_STATE_HOME/XDG_CONFIG_HOME,
    // working directory HOME, the unit's UMask.
    Map<String, String> env = Shell.minimalEnv(home);
    env.put("XDG_RUNTIME_DIR", installEnv.get("XDG_RUNTIME_DIR"));
    String umask = service.getOrDefault("UMask", "0022");
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\""));
    command.addAll(execStart);
    Path log = tmp.resolve("execstart.log");
    Process p = Shell.start(env, home, log, command);
    try {
      Path socket = awaitReady(p, log);
      assertEquals(Path.of(env.get("XDG_RUNTIME_DIR"), "loopwatch", "loopwatch.sock"), socket);
      ping(env, home);
      Path state = home.resolve(".local/state/loopwatch");
      assertTrue(Files.isDirectory(state.resolve("journal")), "state in " + state + ":\n" + Files.readString(log));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));

      long t0 = System.nanoTime();
      p.destroy(); // SIGTERM, as systemctl stop sends it (the launcher execs java: this is the JVM)
      boolean stopped = p.waitFor(timeoutStop, TimeUnit.SECONDS);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(stopped, "still running " + timeoutStop + " s (TimeoutStopSec) after SIGTERM:\n" + Files.readString(log));
      int exit = p.exitValue();
      assertTrue(exit == 143 || exit == 0, "exit status after SIGTERM: " + exit + "\n" + Files.readString(log));
      System.out.printf("SystemdIT: ExecStart daemon stopped %d ms after SIGTERM with status %d%n", ms, exit);
      assertTrue(Files.readString(log).contains("loopwatchd stopped"), Files.readString(log));
    } finally {
      kill(p);
    }
  }

  // ------------------------------------------------------------------ helpers

  private static Shell.Result install(Map<String, String> env, String... options) {
    List<String> command = new ArrayList<>(List.of(REPO.resolve("systemd/install.sh").toString(), "--no-build"));
    command.addAll(List.of(options));
    return Shell.run(env, Path.of(env.get("HOME")), INSTALL_TIMEOUT, command).assertOk();
  }

  /** The line install.sh prints after "run the daemon in the foreground with:". */
  private static String foregroundCommand(String output) {
    List<String> lines = output.lines().toList();
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).contains("run the daemon in the foreground with:")) {
        return lines.get(i + 1).strip();
      }
    }
    return fail("install.sh printed no foreground command:\n" + output);
  }

  private static void assertInstalled(Path home, Path unit) throws IOException {
    Path bin = home.resolve(".local/bin");
    Path share = home.resolve(".local/share/loopwatch");
    for (Path exe : List.of(bin.resolve("loopwatchd"), bin.resolve("loopwatch"))) {
      assertTrue(Files.isRegularFile(exe) && Files.isExecutable(exe), exe + " is not an executable file");
    }
    assertTrue(Files.isRegularFile(share.resolve("loopwatch-daemon.jar")));
    assertEquals(Files.readString(REPO.resolve("config/jvm.options")), Files.readString(share.resolve("config/jvm.options")));
    assertEquals(Files.readString(UNIT), Files.readString(unit), "the unit in $XDG_CONFIG_HOME/systemd/user");

    Set<String> lib = names(share.resolve("lib"), ".jar");
    Set<String> expected = new TreeSet<>(names(REPO.resolve("daemon/target/lib"), ".jar"));
    expected.addAll(names(REPO.resolve("client/target/lib"), ".jar"));
    expected.add("loopwatch-client.jar");
    assertEquals(expected, lib, "lib/: the client jar and every dependency of both, nothing else");
    assertTrue(lib.stream().noneMatch(n -> n.contains("chronicle-analytics")), "no analytics jar: " + lib);
    // the daemon jar's manifest class path must find everything in lib/
    String classPath;
    try (var jar = new java.util.jar.JarFile(share.resolve("loopwatch-daemon.jar").toFile())) {
      classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
    }
    for (String entry : classPath.trim().split("\\s+")) {
      assertTrue(Files.isRegularFile(share.resolve(entry)), "the daemon jar's Class-Path names a missing " + entry);
    }
  }

  /** Runs the daemon with {@code command}, pings it with the installed client, stops it with SIGTERM. */
  private static void runAndPing(Map<String, String> env, Path home, List<String> command, Path log) throws Exception {
    Process p = Shell.start(env, home, log, command);
    try {
      awaitReady(p, log);
      ping(env, home);
      Shell.Result status = Shell.run(env, home, CLIENT_TIMEOUT, List.of(home.resolve(".local/bin/loopwatch").toString(),
          "status", "--json")).assertOk();
      JsonNode s = JSON.readTree(status.output());
      assertEquals(p.pid(), s.path("pid").asLong(), "status answered by the daemon just started: " + s);
      p.destroy();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "no stop within 60 s of SIGTERM");
      assertTrue(p.exitValue() == 143 || p.exitValue() == 0, "exit status " + p.exitValue());
    } finally {
      kill(p);
    }
  }

  /** SIGKILL to the process and anything it started that is still running. */
  private static void kill(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    if (p.isAlive()) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void ping(Map<String, String> env, Path home) {
    Shell.Result ping = Shell.run(env, home, CLIENT_TIMEOUT, List.of(home.resolve(".local/bin/loopwatch").toString(), "ping"));
    assertEquals(0, ping.exit(), "installed client ping: " + ping.output());
    assertTrue(ping.output().contains("pong"), ping.output());
  }

  private static Path awaitReady(Process p, Path log) {
    Path[] socket = new Path[1];
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          String text = Files.exists(log) ? Files.readString(log) : "";
          Matcher m = READY.matcher(text);
          if (m.find()) {
            socket[0] = Path.of(m.group(1));
            return true;
          }
          if (!p.isAlive()) {
            throw new AssertionError("the daemon exited with " + p.exitValue() + " before it was ready:\n" + text);
          }
          return false;
        });
    return socket[0];
  }

  /** Commands of our hook handlers (those running "loopwatch hook") for one event. */
  private static List<String> ourCommands(JsonNode settings, String event) {
    List<String> out = new ArrayList<>();
    for (JsonNode group : settings.path("hooks").path(event)) {
      for (JsonNode handler : group.path("hooks")) {
        String c = handler.path("command").asText();
        if (c.endsWith("loopwatch hook")) {
          out.add(c);
        }
      }
    }
    return out;
  }

  /** The entries of {@code a} and {@code b} that differ: path → "before → after". */
  private static Map<String, String> difference(Map<String, String> a, Map<String, String> b) {
    Map<String, String> out = new TreeMap<>();
    Set<String> paths = new TreeSet<>(a.keySet());
    paths.addAll(b.keySet());
    for (String p : paths) {
      if (!java.util.Objects.equals(a.get(p), b.get(p))) {
        out.put(p, a.get(p) + " -> " + b.get(p));
      }
    }
    return out;
  }

  /**
   * Relative path → "mode size sha256" for every file under the roots. The class-data archives
   * ({@code *.jsa}) are made by the JVM at install time: they record the installed jars' modification
   * times, and the daemon's holds whichever classes its warm-up happened to load, so their bytes and
   * sizes differ from one install to the next: for them, the mode only.
   */
  private static Map<String, String> listing(Path... roots) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (Path root : roots) {
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
          boolean archive = p.getFileName().toString().endsWith(".jsa");
          out.put(root.getFileName() + "/" + root.relativize(p),
              mode + " " + (archive ? "(class-data archive)" : Files.size(p) + " " + sha256(p)));
        }
      }
    }
    return out;
  }

  private static String sha256(Path p) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static Set<String> names(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return new TreeSet<>(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).toList());
    }
  }

  /** The keys of one [Section] of a unit file, continuation lines joined (later keys win). */
  static Map<String, String> section(String unit, String name) {
    Map<String, String> out = new TreeMap<>();
    String current = null;
    StringBuilder pending = null;
    for (String raw : unit.lines().toList()) {
      String line = raw.strip();
      if (pending != null) {
        pending.append(' ').append(line.endsWith("\\") ? line.substring(0, line.length() - 1) : line);
        if (!line.endsWith("\\")) {
          put(out, pending.toString());
          pending = null;
        }
        continue;
      }
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        current = line.substring(1, line.indexOf(']'));
        continue;
      }
      if (!name.equals(current)) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending = new StringBuilder(line.substring(0, line.length() - 1));
      } else {
        put(out, line);
      }
    }
    return out;
  }

  private static void put(Map<String, String> out, String assignment) {
    int eq = assignment.indexOf('=');
    out.put(assignment.substring(0, eq).strip(), assignment.substring(eq + 1).strip());
  }

  /** Splits a unit's command line on whitespace, honouring double and single quotes. */
  static List<String> splitCommandLine(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          out.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      out.add(word.toString());
    }
    String first = out.isEmpty() ? "" : out.get(0);
    if (!first.startsWith("/")) {
      fail("ExecStart must start with an absolute path (no - @ + ! prefixes expected): " + line);
    }
    return out;
  }

  /** A systemd time span in seconds: "45", "45s", "2min", "1min 30s". */
  static long seconds(String span) {
    if (span == null) {
      return 90; // DefaultTimeoutStopSec
    }
    long total = 0;
    Matcher m = Pattern.compile("(\\d+)\\s*(min|m|s|sec)?").matcher(span);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2);
      total += unit != null && unit.startsWith("m") ? n * 60 : n;
    }
    return total;
  }

  /** systemd-analyze, installed with apt-get (Debian's systemd package) when missing; else the test is skipped. */
  private static String systemdAnalyze() {
    String found = onPath("systemd-analyze");
    if (found != null) {
      return found;
    }
    boolean root = "0".equals(Shell.run(Shell.minimalEnv(Path.of("/")), Duration.ofSeconds(10), "id", "-u").output().strip());
    String aptGet = onPath("apt-get");
    Assumptions.assumeTrue(root && aptGet != null,
        "systemd-analyze is missing and cannot be installed here (" + (aptGet == null ? "no apt-get" : "not root")
            + "): the unit file check is skipped; install Debian's 'systemd' package to run it");
    Map<String, String> env = Shell.minimalEnv(Path.of("/root"));
    env.put("DEBIAN_FRONTEND", "noninteractive");
    System.out.println("SystemdIT: systemd-analyze missing; installing Debian's systemd package with apt-get");
    Shell.Result r = Shell.run(env, null, Duration.ofMinutes(10), List.of(aptGet, "install", "-y", "-qq", "systemd"));
    if (r.exit() != 0) {
      Shell.run(env, null, Duration.ofMinutes(10), List.of(aptGet, "update", "-qq"));
      r = Shell.run(env, null, Duration.ofMinutes(10), List.of(aptGet, "install", "-y", "-qq", "systemd"));
    }
    found = onPath("systemd-analyze");
    Assumptions.assumeTrue(found != null,
        "systemd-analyze is missing and apt-get could not install it (exit " + r.exit() + "): the unit file check is"
            + " skipped.\n" + r.output());
    return found;
  }

  private static String onPath(String name) {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path + ":/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
