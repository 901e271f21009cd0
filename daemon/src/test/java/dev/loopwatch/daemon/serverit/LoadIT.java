package dev.loopwatch.daemon.serverit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwatch.daemon.Samples;
import dev.loopwatch.daemon.server.SocketClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 clients at once against a real {@code loopwatchd} that ingested the samples, 50 requests each
 * (ping, status, cost, sessions), half on one persistent connection, half on a connection per request:
 * every one of the 10,000 is answered ok, with its own id, and the daemon's memory stays bounded.
 */
class LoadIT {
  private static final int CLIENTS = 200;
  private static final int REQUESTS = 50;
  private static final long MAX_RSS_KB = 1024 * 1024;

  @Test
  void twoHundredConcurrentClientsAllAnswered(@TempDir Path tmp) throws Exception {
    Samples.installTranscripts(ChildDaemon.claudeHome(tmp));
    long start = System.nanoTime();
    try (ChildDaemon daemon = ChildDaemon.start(tmp, "")) {
      long ready = System.nanoTime();
      daemon.awaitCaughtUp();
      System.out.printf(
          "LoadIT: loopwatchd listening after %d ms, samples ingested and projected %d ms later%n",
          (ready - start) / 1_000_000, (System.nanoTime() - ready) / 1_000_000);
      Path socket = daemon.socket();
      long rssBefore = daemon.procStatus("VmRSS");
      long hwmBefore = daemon.procStatus("VmHWM");
      long cpuBefore = daemon.cpuMillis();
      long fdsBefore = daemon.openFiles();
      long threadsBefore = daemon.procStatus("Threads");

      AtomicInteger ok = new AtomicInteger();
      AtomicInteger answered = new AtomicInteger();
      Queue<String> problems = new ConcurrentLinkedQueue<>();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        int client = i;
        Thread t = new Thread(() -> run(client, socket, go, ok, answered, problems), "load-client-" + i);
        threads.add(t);
        t.start();
      }
      long t0 = System.nanoTime();
      go.countDown();
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(120));
        assertTrue(!t.isAlive(), t.getName() + " still running after 120 s");
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

      long rssAfter = daemon.procStatus("VmRSS");
      long hwmAfter = daemon.procStatus("VmHWM");
      long cpu = daemon.cpuMillis() - cpuBefore;
      long threadsAfter = daemon.procStatus("Threads");
      System.out.printf(
          "LoadIT: %d requests from %d clients in %d ms (%.0f/s), daemon CPU %d ms; daemon pid %d RSS %d MB -> %d MB,"
              + " peak RSS (VmHWM) %d MB -> %d MB%n",
          answered.get(), CLIENTS, ms, answered.get() * 1000.0 / Math.max(1, ms), cpu, daemon.pid(), rssBefore / 1024,
          rssAfter / 1024, hwmBefore / 1024, hwmAfter / 1024);

      assertEquals(List.of(), List.copyOf(problems).subList(0, Math.min(10, problems.size())), problems.size() + " problems");
      assertEquals(CLIENTS * REQUESTS, answered.get(), "every request answered");
      assertEquals(CLIENTS * REQUESTS, ok.get(), "every answer ok:true");
      assertTrue(hwmAfter < MAX_RSS_KB, "peak RSS " + hwmAfter / 1024 + " MB stays under 1 GB");
      // every connection is closed on the daemon's side too
      await().atMost(Duration.ofSeconds(20)).until(() -> daemon.openFiles() <= fdsBefore);
      System.out.printf(
          "LoadIT: daemon threads %d -> %d, open files %d -> %d%n", threadsBefore, threadsAfter, fdsBefore,
          daemon.openFiles());

      // still answering, and still right
      try (SocketClient c = SocketClient.connect(socket)) {
        JsonNode cost = c.request("cost", Map.of("timezone", "UTC")).path("result").path("totals");
        assertEquals(99_512, cost.path("outputTokens").asLong(), cost.toString());
        assertTrue(c.request("ping").path("ok").asBoolean());
      }
      assertEquals(143, daemon.stop(), daemon.log());
    }
  }

  private static void run(
      int client, Path socket, CountDownLatch go, AtomicInteger ok, AtomicInteger answered, Queue<String> problems) {
    boolean persistent = client % 2 == 0;
    try {
      go.await();
      SocketClient shared = persistent ? SocketClient.connect(socket) : null;
      try {
        for (int r = 0; r < REQUESTS; r++) {
          String op;
          Map<String, Object> args;
          switch ((client + r) % 4) {
            case 0 -> {
              op = "ping";
              args = Map.of();
            }
            case 1 -> {
              op = "status";
              args = Map.of();
            }
            case 2 -> {
              op = "cost";
              args = Map.of("by", r % 8 < 4 ? "day" : "model", "timezone", "UTC");
            }
            default -> {
              op = "sessions";
              args = Map.of("limit", 10);
            }
          }
          JsonNode a;
          if (shared != null) {
            a = shared.request(op, args); // checks the id it gets back is the one it sent
          } else {
            try (SocketClient c = SocketClient.connect(socket)) {
              a = c.request(op, args);
            }
          }
          answered.incrementAndGet();
          if (a.path("ok").asBoolean(false)) {
            ok.incrementAndGet();
          } else {
            problems.add("client " + client + " " + op + ": " + a);
          }
        }
      } finally {
        if (shared != null) {
          shared.close();
        }
      }
    } catch (Exception | AssertionError e) {
      problems.add("client " + client + ": " + e);
    }
  }
}
