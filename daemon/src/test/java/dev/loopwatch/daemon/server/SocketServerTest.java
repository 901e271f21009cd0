package dev.loopwatch.daemon.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.TestDaemon;
import dev.loopwatch.protocol.SocketPaths;
import java.io.IOException;
import java.io.Reader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket server of a real in-process daemon, spoken to in raw NDJSON: file modes, stale and live
 * sockets, every kind of bad request (each answered, the connection kept), size and time limits, and
 * the files it leaves for the client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketServerTest {
  private static final String LIMITS =
      """
      socket:
        maxRequestBytes: 4KiB
        readTimeout: 30s
      hook:
        sessionStartDeadline: 1500ms
        deadline: 250ms
      """;
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

  TestDaemon shared;
  Path socket;

  @BeforeAll
  void startShared(@TempDir Path tmp) {
    shared = new TestDaemon(tmp, LIMITS).start();
    socket = shared.daemon().config().socket().path();
  }

  @AfterAll
  void stopShared() {
    shared.close();
  }

  // ------------------------------------------------------------------------------- files and modes

  @Test
  void directoryIs0700AndSocketIs0600() throws Exception {
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
    assertTrue(Files.readAttributes(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode") instanceof Integer m
        && (m & 0170000) == 0140000, "a socket file");
  }

  @Test
  void clientPropertiesHoldTheConfiguredDeadlinesAndSize() throws Exception {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(socket.resolveSibling(SocketPaths.CLIENT_SETTINGS))) {
      p.load(r);
    }
    assertEquals("1500", p.getProperty("hook.sessionStartDeadlineMs"));
    assertEquals("250", p.getProperty("hook.deadlineMs"));
    assertEquals("4096", p.getProperty("socket.maxRequestBytes"));
  }

  @Test
  void clientPropertiesFollowAReloadedConfig(@TempDir Path tmp) throws Exception {
    try (TestDaemon d = new TestDaemon(tmp, LIMITS).start()) {
      Path props = d.daemon().config().socket().path().resolveSibling(SocketPaths.CLIENT_SETTINGS);
      assertEquals("250", load(props).getProperty("hook.deadlineMs"));
      // the user edits the file while the daemon runs
      Files.writeString(
          d.configFile,
          "ingest:\n  rescanInterval: 1s\n"
              + LIMITS.replace("deadline: 250ms", "deadline: 400ms")
                  .replace("sessionStartDeadline: 1500ms", "sessionStartDeadline: 2s")
                  .replace("maxRequestBytes: 4KiB", "maxRequestBytes: 8KiB"));
      await().atMost(Duration.ofSeconds(15)).until(() -> "400".equals(load(props).getProperty("hook.deadlineMs")));
      Properties p = load(props);
      assertEquals("2000", p.getProperty("hook.sessionStartDeadlineMs"));
      // the size limit is the running server's until the next start, and the file says so
      assertEquals("4096", p.getProperty("socket.maxRequestBytes"));
      try (SocketClient c = SocketClient.connect(d.daemon().config().socket().path())) {
        JsonNode a = c.ask("{\"op\":\"ping\",\"pad\":\"" + "x".repeat(5000) + "\"}");
        assertEquals("TOO_LARGE", a.path("error").path("code").asText(), a.toString());
      }
    }
  }

  private static Properties load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    return p;
  }

  @Test
  void aConfiguredSocketInAnExistingDirectoryLeavesThatDirectorysModeAlone(@TempDir Path tmp) throws Exception {
    // socket.path: /tmp/lw.sock must not turn /tmp into a 0700 directory
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path path = shared.resolve("lw.sock");
    try (TestDaemon d = new TestDaemon(tmp.resolve("d"), "socket:\n  path: " + path + "\n").start()) {
      assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)));
      try (SocketClient c = SocketClient.connect(path)) {
        assertOk(c.request("ping"));
      }
    }
    // a directory the daemon creates for its socket is private
    Path fresh = tmp.resolve("fresh/sub/lw.sock");
    try (TestDaemon d = new TestDaemon(tmp.resolve("e"), "socket:\n  path: " + fresh + "\n").start()) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.getParent())));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.getParent().getParent())));
    }
  }

  @Test
  void aSocketPathTooLongForTheKernelFailsTheStartNamingIt(@TempDir Path tmp) {
    Path tooLong = tmp.resolve("x".repeat(120) + ".sock");
    try (TestDaemon d = new TestDaemon(tmp.resolve("d"), "socket:\n  path: " + tooLong + "\n")) {
      RuntimeException e = assertThrows(RuntimeException.class, d::start);
      assertTrue(e.getMessage().contains(tooLong.toString()), e.getMessage());
    }
  }

  @Test
  void aStaleSocketFileIsReplacedAtStart(@TempDir Path tmp) throws Exception {
    try (TestDaemon d = new TestDaemon(tmp)) {
      Path path = d.config().socket().path();
      Files.createDirectories(path.getParent());
      // what a killed daemon leaves: a bound socket file nobody listens on any more
      try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        dead.bind(UnixDomainSocketAddress.of(path));
      }
      assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "the stale file survives close()");
      d.start();
      try (SocketClient c = SocketClient.connect(path)) {
        assertOk(c.request("ping"));
      }
    }
  }

  @Test
  void aSecondDaemonOnALiveSocketFailsNamingThePath(@TempDir Path tmp) throws Exception {
    try (TestDaemon second = new TestDaemon(tmp, "socket:\n  path: " + socket + "\n")) {
      RuntimeException e = assertThrows(RuntimeException.class, second::start);
      assertTrue(e.getMessage().contains(socket.toString()), e.getMessage());
    }
    // the first one is untouched: its socket is still there and answers
    assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(socket.resolveSibling(SocketPaths.CLIENT_SETTINGS)));
    try (SocketClient c = SocketClient.connect(socket)) {
      assertOk(c.request("ping"));
    }
  }

  @Test
  void closingRemovesTheSocketAndClientProperties(@TempDir Path tmp) throws Exception {
    TestDaemon d = new TestDaemon(tmp).start();
    Path path = d.daemon().config().socket().path();
    assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(path.resolveSibling(SocketPaths.CLIENT_SETTINGS)));
    d.close();
    assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(path.resolveSibling(SocketPaths.CLIENT_SETTINGS)));
  }

  // ------------------------------------------------------------------------------------ bad input

  @Test
  void badRequestsAreAnsweredAndTheConnectionKeepsServing() throws Exception {
    record Case(String line, String code, String inMessage) {}
    List<Case> cases =
        List.of(
            new Case("{\"op\":\"ping\"", "BAD_JSON", "not JSON"),
            new Case("this is not json", "BAD_JSON", "not JSON"),
            new Case("[1,2,3]", "BAD_JSON", "object"),
            new Case("{\"op\":\"ping\"} {\"op\":\"status\"}", "BAD_JSON", "not JSON"),
            new Case("{\"op\":\"ping\"} trailing", "BAD_JSON", "not JSON"),
            new Case("[".repeat(3000), "BAD_JSON", "not JSON"),
            new Case("\"ping\"", "BAD_JSON", "object"),
            new Case("{\"v\":2,\"op\":\"ping\"}", "BAD_VERSION", "2"),
            new Case("{\"v\":1,\"args\":{}}", "BAD_ARGS", "op"),
            new Case("{\"op\":\"ping\",\"args\":[1]}", "BAD_ARGS", "args"),
            new Case("{\"op\":\"explode\"}", "UNKNOWN_OP", "explode"),
            new Case("{\"op\":\"ping\",\"args\":{\"bogus\":1}}", "BAD_ARGS", "bogus: unknown argument; this op takes no arguments"),
            new Case(
                "{\"op\":\"cost\",\"args\":{\"sinse\":\"2026-01-01\"}}", "BAD_ARGS",
                "sinse: unknown argument (known: by, timezone, since, until, project)"),
            new Case("{\"op\":\"cost\",\"args\":{\"by\":\"year\"}}", "BAD_ARGS", "by"),
            new Case("{\"op\":\"cost\",\"args\":{\"since\":\"yesterday\"}}", "BAD_ARGS", "since"),
            new Case("{\"op\":\"cost\",\"args\":{\"until\":\"2026-02-30\"}}", "BAD_ARGS", "until"),
            new Case("{\"op\":\"cost\",\"args\":{\"since\":\"2026-02-12\",\"until\":\"2026-02-01\"}}", "BAD_ARGS", "until"),
            new Case("{\"op\":\"cost\",\"args\":{\"timezone\":\"Mars/Base\"}}", "BAD_ARGS", "timezone"),
            new Case("{\"op\":\"sessions\",\"args\":{\"limit\":-1}}", "BAD_ARGS", "limit"),
            new Case("{\"op\":\"sessions\",\"args\":{\"limit\":\"ten\"}}", "BAD_ARGS", "limit"),
            new Case("{\"op\":\"sessions\",\"args\":{\"limit\":1.5}}", "BAD_ARGS", "limit"),
            new Case("{\"op\":\"sessions\",\"args\":{\"outcome\":\"great\"}}", "BAD_ARGS", "outcome"),
            new Case("{\"op\":\"failures\",\"args\":{\"limit\":99999999999}}", "BAD_ARGS", "limit"),
            new Case("{\"op\":\"session\",\"args\":{}}", "BAD_ARGS", "id"),
            new Case("{\"op\":\"session\",\"args\":{\"id\":{\"a\":1}}}", "BAD_ARGS", "id"),
            new Case("{\"op\":\"session\",\"args\":{\"id\":\"no-such-session\"}}", "NOT_FOUND", "no-such-session"));
    try (SocketClient c = SocketClient.connect(socket)) {
      for (Case k : cases) {
        JsonNode a = c.ask(k.line());
        assertFalse(a.path("ok").asBoolean(true), k.line() + " -> " + a);
        assertEquals(k.code(), a.path("error").path("code").asText(), k.line() + " -> " + a);
        assertTrue(a.path("error").path("message").asText().contains(k.inMessage()), k.line() + " -> " + a);
        assertEquals(1, a.path("v").asInt(), a.toString());
        // the same connection answers the next request
        assertOk(c.request("ping"));
      }
    }
  }

  @Test
  void errorsEchoTheRequestId() throws Exception {
    try (SocketClient c = SocketClient.connect(socket)) {
      JsonNode a = c.ask("{\"v\":1,\"id\":\"abc-1\",\"op\":\"nope\"}");
      assertEquals("abc-1", a.path("id").asText());
      assertEquals("UNKNOWN_OP", a.path("error").path("code").asText());
      a = c.ask("{\"v\":1,\"id\":\"abc-2\",\"op\":\"cost\",\"args\":{\"by\":\"year\"}}");
      assertEquals("abc-2", a.path("id").asText());
    }
  }

  @Test
  void aRequestOverMaxRequestBytesIsTooLargeAndClosesOnlyThatConnection() throws Exception {
    try (SocketClient other = SocketClient.connect(socket);
        SocketClient big = SocketClient.connect(socket)) {
      String line = "{\"op\":\"ping\",\"id\":\"big\",\"pad\":\"" + "x".repeat(5000) + "\"}";
      JsonNode a = big.ask(line);
      assertEquals("TOO_LARGE", a.path("error").path("code").asText(), a.toString());
      assertTrue(a.path("error").path("message").asText().contains("4096"), a.toString());
      assertTrue(big.closedByPeerWithin(Duration.ofSeconds(5)), "the oversized connection is closed");
      // connections that were open meanwhile, and new ones, are served
      assertOk(other.request("ping"));
      try (SocketClient fresh = SocketClient.connect(socket)) {
        assertOk(fresh.request("ping"));
      }
    }
  }

  @Test
  void aRequestOfExactlyMaxRequestBytesIsServed() throws Exception {
    String head = "{\"op\":\"ping\",\"id\":\"edge\"}";
    String line = head + " ".repeat(4096 - head.length());
    assertEquals(4096, line.length());
    try (SocketClient c = SocketClient.connect(socket)) {
      JsonNode a = c.ask(line);
      assertOk(a);
      assertEquals("edge", a.path("id").asText());
      JsonNode over = c.ask(line + " ");
      assertEquals("TOO_LARGE", over.path("error").path("code").asText(), over.toString());
    }
  }

  @Test
  void aLongLineIsRefusedBeforeItsNewlineArrives() throws Exception {
    try (SocketClient c = SocketClient.connect(socket)) {
      // no newline yet: the daemon answers as soon as the line is over the limit
      byte[] junk = new byte[4096 + 10];
      java.util.Arrays.fill(junk, (byte) 'a');
      c.sendRaw(junk);
      JsonNode a = SocketClient.JSON.readTree(c.readLine(Duration.ofSeconds(5)));
      assertEquals("TOO_LARGE", a.path("error").path("code").asText(), a.toString());
      assertTrue(c.closedByPeerWithin(Duration.ofSeconds(5)));
    }
  }

  // --------------------------------------------------------------------------- several, pipelined

  @Test
  void severalRequestsOnOneConnection() throws Exception {
    try (SocketClient c = SocketClient.connect(socket)) {
      for (int i = 0; i < 20; i++) {
        assertOk(c.request(i % 2 == 0 ? "ping" : "status"));
      }
      // pipelined: three requests in one write, three answers in order; blank lines are skipped
      c.sendRaw(
          "{\"id\":\"p1\",\"op\":\"ping\"}\n\n{\"id\":\"p2\",\"op\":\"nope\"}\r\n{\"id\":\"p3\",\"op\":\"status\"}\n");
      JsonNode a1 = c.readAnswer();
      JsonNode a2 = c.readAnswer();
      JsonNode a3 = c.readAnswer();
      assertEquals("p1", a1.path("id").asText());
      assertOk(a1);
      assertEquals("p2", a2.path("id").asText());
      assertEquals("UNKNOWN_OP", a2.path("error").path("code").asText());
      assertEquals("p3", a3.path("id").asText());
      assertOk(a3);
      // a request split across writes is one request
      c.sendRaw("{\"id\":\"s1\",");
      c.sendRaw("\"op\":\"pi");
      c.sendRaw("ng\"}\n");
      assertEquals("s1", c.readAnswer().path("id").asText());
    }
  }

  @Test
  void idleClientsBeyondTheFirstFewDoNotDelayOthers() throws Exception {
    // Clients that connect and wait (a CLI left open, hooks that hang): each holds a connection, and
    // none may make a new client wait for the read timeout (30 s here).
    List<SocketClient> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 16; i++) {
        idle.add(SocketClient.connect(socket));
      }
      try (SocketClient c = SocketClient.connect(socket)) {
        c.sendLine("{\"id\":\"late\",\"op\":\"ping\"}");
        JsonNode a = SocketClient.JSON.readTree(c.readLine(Duration.ofSeconds(2)));
        assertOk(a);
      }
    } finally {
      idle.forEach(SocketClient::close);
    }
  }

  @Test
  void connectionsBeyondThePoolAndItsQueueAreToldUnavailableAtOnce() throws Exception {
    // 64 connections occupy the pool's threads (they send nothing), 1024 more fill its queue
    List<java.nio.channels.SocketChannel> held = new ArrayList<>();
    try {
      for (int i = 0; i < 64 + 1024; i++) {
        held.add(java.nio.channels.SocketChannel.open(UnixDomainSocketAddress.of(socket)));
      }
      try (SocketClient extra = SocketClient.connect(socket)) {
        JsonNode a = SocketClient.JSON.readTree(extra.readLine(Duration.ofSeconds(3)));
        assertEquals("UNAVAILABLE", a.path("error").path("code").asText(), a.toString());
        assertTrue(extra.closedByPeerWithin(Duration.ofSeconds(3)));
      }
    } finally {
      for (java.nio.channels.SocketChannel ch : held) {
        ch.close();
      }
    }
    // once they are gone, everybody is served again
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try (SocketClient c = SocketClient.connect(socket)) {
        return c.request("ping").path("ok").asBoolean();
      }
    });
  }

  // ----------------------------------------------------------------------------------- read timeout

  @Test
  void aClientStalledOnHalfALineIsDisconnectedAfterReadTimeoutWhileOthersAreServed(@TempDir Path tmp)
      throws Exception {
    try (TestDaemon d = new TestDaemon(tmp, "socket:\n  readTimeout: " + SHORT_TIMEOUT.toMillis() + "ms\n").start()) {
      Path path = d.daemon().config().socket().path();
      try (SocketClient stalled = SocketClient.connect(path);
          SocketClient busy = SocketClient.connect(path)) {
        long t0 = System.nanoTime();
        stalled.sendRaw("{\"op\":\"pi");
        // meanwhile another client is served, on one connection, for longer than the timeout
        int served = 0;
        while (stalled.isOpen() && !stalled.closedByPeerWithin(Duration.ofMillis(20))) {
          assertOk(busy.request("ping"));
          served++;
          assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "not disconnected within 10 s");
        }
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(elapsed >= SHORT_TIMEOUT.toMillis() - 20, "disconnected after " + elapsed + " ms");
        assertTrue(served > 0);
        // the busy connection outlived the timeout: it is idleness that counts, not age
        for (int i = 0; i < 3; i++) {
          assertOk(busy.request("ping"));
        }
      }
    }
  }

  @Test
  void aClientDrippingHalfALineIsDisconnectedAfterReadTimeout(@TempDir Path tmp) throws Exception {
    try (TestDaemon d = new TestDaemon(tmp, "socket:\n  readTimeout: " + SHORT_TIMEOUT.toMillis() + "ms\n").start()) {
      Path path = d.daemon().config().socket().path();
      try (SocketClient drip = SocketClient.connect(path)) {
        long t0 = System.nanoTime();
        drip.sendRaw("{\"op\":\"ping\",\"pad\":\"");
        boolean closed = false;
        // one byte every 50 ms: never idle for the timeout, but the line never ends
        while (!closed && System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos()) {
          try {
            drip.sendRaw("x");
          } catch (IOException broken) {
            closed = true;
            break;
          }
          closed = drip.closedByPeerWithin(Duration.ofMillis(50));
        }
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(closed, "a line that takes longer than readTimeout to arrive is cut off (waited " + elapsed + " ms)");
        assertTrue(elapsed >= SHORT_TIMEOUT.toMillis() - 20, "disconnected after " + elapsed + " ms");
      }
      try (SocketClient c = SocketClient.connect(path)) {
        assertOk(c.request("ping"));
      }
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterReadTimeout(@TempDir Path tmp) throws Exception {
    try (TestDaemon d = new TestDaemon(tmp, "socket:\n  readTimeout: " + SHORT_TIMEOUT.toMillis() + "ms\n").start()) {
      Path path = d.daemon().config().socket().path();
      try (SocketClient silent = SocketClient.connect(path)) {
        long t0 = System.nanoTime();
        assertTrue(silent.closedByPeerWithin(Duration.ofSeconds(5)));
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(elapsed >= SHORT_TIMEOUT.toMillis() - 20, "closed after " + elapsed + " ms");
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> {
        try (SocketClient c = SocketClient.connect(path)) {
          return c.request("ping").path("ok").asBoolean();
        }
      });
    }
  }

  @Test
  void aClientThatNeverReadsItsAnswersIsDisconnectedAfterReadTimeout(@TempDir Path tmp) throws Exception {
    try (TestDaemon d = new TestDaemon(tmp, "socket:\n  readTimeout: " + SHORT_TIMEOUT.toMillis() + "ms\n").start()) {
      Path path = d.daemon().config().socket().path();
      try (SocketClient hog = SocketClient.connect(path)) {
        // pipeline status requests and read nothing, until the answers fill both socket buffers and the
        // daemon, blocked on writing, stops reading
        byte[] one = "{\"op\":\"status\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer many = java.nio.ByteBuffer.allocate(one.length * 4096);
        while (many.remaining() >= one.length) {
          many.put(one);
        }
        many.flip();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
          if (!many.hasRemaining()) {
            many.rewind();
          }
          hog.offer(many);
          return blockedWriting() > 0 && hog.offer(many.duplicate().limit(many.position())) == 0;
        });
        // the daemon gives up on it after the read timeout: the connection's thread is free again
        await().atMost(Duration.ofSeconds(5)).until(() -> blockedWriting() == 0);
        assertTrue(hog.closedByPeerWithin(Duration.ofSeconds(10)), "the connection is closed");
      }
      try (SocketClient c = SocketClient.connect(path)) {
        assertOk(c.request("ping"));
      }
    }
  }

  /** Server connection threads blocked writing an answer. */
  private static long blockedWriting() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().startsWith("server-conn-"))
        .filter(e -> java.util.Arrays.stream(e.getValue())
            .anyMatch(f -> f.getClassName().endsWith("SocketServer$Connection") && f.getMethodName().equals("write")))
        .count();
  }

  static void assertOk(JsonNode answer) {
    assertTrue(answer.path("ok").asBoolean(false), answer.toString());
    assertTrue(answer.has("result"), answer.toString());
  }

  static Map<String, Object> args(Object... kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
