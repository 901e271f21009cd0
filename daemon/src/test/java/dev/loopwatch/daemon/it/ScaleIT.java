package dev.loopwatch.daemon.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault cases 24 and 26 of tailing-anchors.md §4 with a real process: 10,000 small files (bounded file
 * descriptors and memory while they are backfilled and then appended to), and a burst of 20,000 files
 * created in one directory while the daemon runs, more than the kernel queues (max_queued_events 16384)
 * and far more than a JDK watch key holds (512): inotify overflows and only the overflow-triggered rescan
 * can find them (the periodic rescan is set to 10 minutes for that test).
 */
class ScaleIT {
  private static final int MAX_FDS = 600;
  private static final long MAX_RSS_KB = 1L << 20; // 1 GiB

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void tenThousandFilesAreBackfilledAndTailedWithBoundedDescriptorsAndMemory() throws IOException {
    Sandbox s = Sandbox.create(tmp);
    Path logs = s.claude.resolve("logs");
    int files = Corpus.scaled(10_000);
    Corpus c = new Corpus();
    Random rnd = new Random(5);
    List<Path> paths = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < files; i++) {
      Path dir = logs.resolve(String.format("d%03d", i % 100));
      if (i < 100) {
        Files.createDirectories(dir);
      }
      Path f = dir.resolve("f" + i + ".jsonl");
      c.appendLines(f, "s" + i, 1 + rnd.nextInt(3), 60 + rnd.nextInt(200));
      paths.add(f);
    }
    System.out.printf("[scale] %d files, %d lines written in %d ms%n", files, c.lines(), ms(t0));

    try (DaemonProcess d = DaemonProcess.start(s); Sampler sampler = new Sampler(d)) {
      long start = System.nanoTime();
      System.out.println("[scale] " + d.awaitCaughtUp(Duration.ofSeconds(120)));
      assertTrue(Drain.awaitCovered(s.journalDir(), Tally::perLine, c.expected(), Duration.ofSeconds(60)), "backfill complete");
      long backfillMs = ms(start);
      int fdsAfterBackfill = d.openFds();

      // one line appended to each of 100 random files while it runs
      Collections.shuffle(paths, rnd);
      long appendStart = System.nanoTime();
      for (Path f : paths.subList(0, 100)) {
        String stream = "s" + f.getFileName().toString().replaceAll("\\D", "");
        c.appendLines(f, stream, 1, 100);
      }
      assertTrue(Drain.awaitCovered(s.journalDir(), Tally::perLine, c.expected(), Duration.ofSeconds(30)), "appends arrived");
      long appendMs = ms(appendStart);
      Drain.awaitQuiet(s.journalDir(), Duration.ofMillis(1500));
      long hwm = d.statusKb("VmHWM");
      System.out.printf("[scale] %d files: backfill %d ms, 100 appends arrived in %d ms, open fds max %d (after backfill %d, now %d), VmHWM %d MiB, VmRSS %d MiB%n",
          files, backfillMs, appendMs, sampler.maxFds(), fdsAfterBackfill, d.openFds(), hwm >> 10, d.statusKb("VmRSS") >> 10);
      assertTrue(sampler.maxFds() < MAX_FDS, "open file descriptors stay bounded: max " + sampler.maxFds() + " " + sampler.fdKinds());
      assertTrue(hwm < MAX_RSS_KB, "peak RSS " + (hwm >> 10) + " MiB");
      d.stop();
    }
    Drain.readAll(s.journalDir(), Tally::perLine).assertExactlyOnce(c.expected(), files + " files plus 100 appends");
  }

  @Test
  void burstOf20000NewFilesInOneDirectoryArrivesThroughTheOverflowRescan() throws IOException {
    Sandbox s = Sandbox.create(tmp, "  rescanInterval: 10m\n", "");
    Path burst = Files.createDirectories(s.claude.resolve("burst"));
    Corpus c = new Corpus();
    c.appendLines(s.claude.resolve("before.jsonl"), "before", 10, 50);
    int files = Corpus.scaled(20_000);
    // DEBUG: the daemon then logs "rescan requested: <why>" for each overflow or watcher error
    try (DaemonProcess d = DaemonProcess.start(s, Map.of("LOOPWATCH_LOG_LEVEL", "DEBUG")); Sampler sampler = new Sampler(d)) {
      d.awaitCaughtUp(Duration.ofSeconds(30));
      Drain.awaitCovered(s.journalDir(), Tally::perLine, c.expected(), Duration.ofSeconds(30));
      long t0 = System.nanoTime();
      for (int i = 0; i < files; i++) {
        Corpus.append(burst.resolve("b" + i + ".jsonl"), Corpus.generic("b" + i, 0, 20));
        c.next("b" + i);
      }
      long createdMs = ms(t0);
      boolean all = Drain.awaitCovered(s.journalDir(), Tally::perLine, c.expected(), Duration.ofSeconds(90));
      long rescans = d.output().stream().filter(l -> l.contains("rescan requested")).count();
      System.out.printf("[scale] burst: %d files created in %d ms, %s after %d ms; %d rescans requested by the watcher (%s); open fds max %d, VmHWM %d MiB%n",
          files, createdMs, all ? "all journaled" : "NOT all journaled", ms(t0), rescans, d.line("rescan requested"),
          sampler.maxFds(), d.statusKb("VmHWM") >> 10);
      if (all) {
        Drain.awaitQuiet(s.journalDir(), Duration.ofMillis(1500));
      }
      assertTrue(sampler.maxFds() < MAX_FDS, "open file descriptors stay bounded: max " + sampler.maxFds());
      d.stop();
    }
    Drain.readAll(s.journalDir(), Tally::perLine).assertExactlyOnce(c.expected(), "burst of " + files + " files");
  }

  private static long ms(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  /** Samples the daemon's open descriptors every 20 ms; remembers the maximum and what they were. */
  static final class Sampler implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "it-fd-sampler");
      t.setDaemon(true);
      return t;
    });
    private final AtomicInteger max = new AtomicInteger();
    private final AtomicLong samples = new AtomicLong();
    private volatile Map<String, Long> kindsAtMax = Map.of();

    Sampler(DaemonProcess d) {
      timer.scheduleWithFixedDelay(() -> {
        int n = d.openFds();
        samples.incrementAndGet();
        if (n > max.get()) {
          max.set(n);
          kindsAtMax = d.fdTargets().stream().collect(Collectors.groupingBy(ScaleIT::kind, Collectors.counting()));
        }
      }, 0, 20, TimeUnit.MILLISECONDS);
    }

    int maxFds() {
      return max.get();
    }

    Map<String, Long> fdKinds() {
      return kindsAtMax;
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  static String kind(String target) {
    if (target.endsWith(".jsonl")) {
      return "jsonl";
    }
    if (target.endsWith(".jar")) {
      return "jar";
    }
    int colon = target.indexOf(':');
    return colon > 0 ? target.substring(0, colon) : target.endsWith(".cq4") || target.endsWith(".cq4t") ? "journal" : "other";
  }
}
