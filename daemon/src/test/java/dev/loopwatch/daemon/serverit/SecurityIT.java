package dev.loopwatch.daemon.serverit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.server.SocketClient;
import dev.loopwatch.protocol.SocketPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket is private on the real process: its directory is 0700 and the socket 0600, so another
 * user cannot even connect; and when the modes are opened up by hand, the daemon still refuses that
 * user (SO_PEERCRED) with a FORBIDDEN answer and says so in its log. The other user is {@code nobody},
 * which needs root and {@code setpriv} or {@code runuser}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {
  ChildDaemon daemon;
  Path socket;
  Path probeClasses;

  @BeforeAll
  void start(@TempDir Path tmp) throws IOException {
    daemon = ChildDaemon.start(tmp, "");
    socket = daemon.socket();
    // the probe, where another user can read it
    probeClasses = tmp.resolve("probe");
    String resource = PeerProbe.class.getName().replace('.', '/') + ".class";
    Path target = probeClasses.resolve(resource);
    Files.createDirectories(target.getParent());
    try (var in = PeerProbe.class.getClassLoader().getResourceAsStream(resource)) {
      Files.copy(in, target);
    }
    for (Path p = target; p.startsWith(probeClasses); p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
    }
    // the temporary directories above the socket's own directory let everybody through, so that
    // whatever refuses a stranger is the daemon's doing
    for (Path p : List.of(tmp, tmp.resolve("run"))) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (daemon != null) {
      assertEquals(143, daemon.stop(), "a clean stop on SIGTERM:\n" + daemon.log());
      assertTrue(Files.notExists(socket, LinkOption.NOFOLLOW_LINKS), "the socket is removed on SIGTERM");
      assertTrue(Files.notExists(socket.resolveSibling(SocketPaths.CLIENT_SETTINGS)));
    }
  }

  @Test
  void theRealProcessListensOnAPrivateSocket() throws Exception {
    assertEquals("rwx------", mode(socket.getParent()));
    assertEquals("rw-------", mode(socket));
    assertEquals(daemon.root.resolve("run/loopwatch/loopwatch.sock"), socket, "$XDG_RUNTIME_DIR/loopwatch/loopwatch.sock");
    try (SocketClient c = SocketClient.connect(socket)) {
      JsonNode pong = c.request("ping");
      assertTrue(pong.path("ok").asBoolean(), pong.toString());
      assertEquals(daemon.pid(), pong.path("result").path("pid").asLong(), "launcher execs the JVM: same pid");
    }
  }

  @Test
  void anotherUserIsRefusedByTheModesAndThenByThePeerCheck() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a client as nobody");
    List<String> asNobody = asNobody();
    assumeTrue(asNobody != null, "needs setpriv or runuser to run a client as nobody");

    // control: the probe itself works, run as the daemon's user
    String self = probe(List.of());
    assertTrue(self.startsWith("ANSWER ") && self.contains("\"ok\":true"), self);

    // 1. as the daemon left it: the 0700 directory keeps nobody out
    String refused = probe(asNobody);
    assertTrue(refused.startsWith("CONNECT-FAILED") && refused.contains("Permission denied"), refused);

    // 2. a passable directory (0711) but the 0600 socket: still out
    Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
    refused = probe(asNobody);
    assertTrue(refused.startsWith("CONNECT-FAILED") && refused.contains("Permission denied"), refused);

    // 3. modes opened by hand (0711, 0666): nobody connects, and the peer check refuses them
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
    String answer = probe(asNobody);
    assertTrue(answer.startsWith("ANSWER "), answer);
    JsonNode a = SocketClient.JSON.readTree(answer.substring("ANSWER ".length()));
    assertEquals(false, a.path("ok").asBoolean(true), a.toString());
    assertEquals("FORBIDDEN", a.path("error").path("code").asText(), a.toString());
    await().atMost(Duration.ofSeconds(10)).until(() -> daemon.log().contains("refused a connection from user nobody"));

    // the daemon's own user is still served
    try (SocketClient c = SocketClient.connect(socket)) {
      assertTrue(c.request("ping").path("ok").asBoolean());
    }
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void aUserWithoutANameIsServedAndOthersAreStillRefused(@TempDir Path tmp) throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run the daemon as another uid");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv to run the daemon as a bare uid");
    // a uid with no passwd entry (containers often run as one): the JVM's user.name is then "?", while
    // the peer credentials of the same uid are named by the number
    int uid = 23456;
    assumeTrue(
        Files.readAllLines(Path.of("/etc/passwd")).stream().noneMatch(l -> l.split(":")[2].equals(Integer.toString(uid))),
        "uid " + uid + " has a passwd entry here");
    List<String> asUid =
        List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--");
    Files.createDirectories(ChildDaemon.claudeHome(tmp));
    Files.createDirectories(tmp.resolve("config/loopwatch"));
    var owner = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(Integer.toString(uid));
    var group = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(Integer.toString(uid));
    try (var all = Files.walk(tmp)) {
      for (Path p : all.toList()) {
        Files.setOwner(p, owner);
        Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(group);
      }
    }
    try (ChildDaemon bare = ChildDaemon.start(tmp, "", "daemon.log", asUid)) {
      Path bareSocket = bare.socket();
      assertEquals(Integer.toString(uid), Files.getOwner(bareSocket).getName());
      String served = probe(asUid, bareSocket);
      assertTrue(served.startsWith("ANSWER ") && served.contains("\"ok\":true"), served + "\n" + bare.log());
      // root is another user to it
      String other = probe(List.of(), bareSocket);
      assertTrue(other.contains("FORBIDDEN"), other);
      assertEquals(143, bare.stop(), bare.log());
    }
  }

  /** The command prefix that runs a program as nobody, or null when there is none. */
  private static List<String> asNobody() {
    for (Path setpriv : List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"))) {
      if (Files.isExecutable(setpriv)) {
        return List.of(setpriv.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--");
      }
    }
    for (Path runuser : List.of(Path.of("/usr/sbin/runuser"), Path.of("/sbin/runuser"))) {
      if (Files.isExecutable(runuser)) {
        return List.of(runuser.toString(), "-u", "nobody", "--");
      }
    }
    return null;
  }

  /** Runs the probe (as nobody when a prefix is given) and returns its one output line. */
  private String probe(List<String> prefix) throws Exception {
    return probe(prefix, socket);
  }

  private String probe(List<String> prefix, Path socket) throws Exception {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData", "-Xshare:auto",
            "-cp", probeClasses.toString(), PeerProbe.class.getName(), socket.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(probeClasses.toFile()).redirectErrorStream(true);
    pb.environment().put("HOME", probeClasses.toString());
    Process p = pb.start();
    String out;
    try (var in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "probe finished");
    System.out.println("SecurityIT: probe " + ("as " + prefix.stream().filter(a -> a.startsWith("--reuid=")).map(a -> a.substring(8)).findFirst()
            .orElse(prefix.isEmpty() ? System.getProperty("user.name") : "nobody"))
        + " (dir " + mode(socket.getParent()) + ", socket " + mode(socket) + "): " + out.strip());
    return out.lines().filter(l -> !l.startsWith("OpenJDK") && !l.startsWith("WARNING")).findFirst().orElse("(no output)")
        + (out.lines().count() > 1 ? "  [all output: " + out.strip() + "]" : "");
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }
}
