package dev.loopwatch.daemon.serverit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.server.SocketClient;
import dev.loopwatch.protocol.SocketPaths;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One daemon per user, on real processes: a second {@code loopwatchd} in the same environment refuses to
 * start, naming the socket, before it opens the journal or the store; a daemon killed with SIGKILL leaves
 * its socket file behind, and the next one replaces it.
 */
class SingleInstanceIT {

  @Test
  void aSecondLoopwatchdRefusesToStartNamingTheSocket(@TempDir Path tmp) throws Exception {
    try (ChildDaemon first = ChildDaemon.start(tmp, "")) {
      Path socket = first.socket();
      Path secondLog = tmp.resolve("second.log");
      Process second = ChildDaemon.launch(tmp, secondLog);
      assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second daemon gives up");
      String log = Files.readString(secondLog);
      assertEquals(1, second.exitValue(), log);
      assertTrue(log.contains("another loopwatchd is already listening on " + socket), log);
      assertFalse(log.contains("journal - opened"), "nothing is opened before the check:\n" + log);
      assertFalse(log.contains("already in use"), "the store lock is not what stops it:\n" + log);
      // the first one is untouched
      assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
      assertTrue(Files.exists(socket.resolveSibling(SocketPaths.CLIENT_SETTINGS)));
      try (SocketClient c = SocketClient.connect(socket)) {
        assertEquals(first.pid(), c.request("ping").path("result").path("pid").asLong());
      }
    }
  }

  @Test
  void aKilledDaemonsSocketIsReplacedByTheNextOne(@TempDir Path tmp) throws Exception {
    ChildDaemon crashed = ChildDaemon.start(tmp, "");
    Path socket = crashed.socket();
    crashed.kill();
    assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "SIGKILL leaves the socket file");
    try (ChildDaemon next = ChildDaemon.start(tmp, "", "next.log")) {
      assertEquals(socket, next.socket());
      assertTrue(next.log().contains("removing stale socket " + socket), next.log());
      try (SocketClient c = SocketClient.connect(socket)) {
        long pid = c.request("ping").path("result").path("pid").asLong();
        assertEquals(next.pid(), pid);
        assertNotEquals(crashed.pid(), pid);
      }
      assertEquals(143, next.stop(), next.log());
      assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "a clean stop removes it");
    }
  }
}
