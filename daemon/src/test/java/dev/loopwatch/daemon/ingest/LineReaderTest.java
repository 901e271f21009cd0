package dev.loopwatch.daemon.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineReaderTest {
  @TempDir Path tmp;

  /** Collects lines and oversize reports as text. */
  static final class Collect implements LineReader.Handler {
    final List<String> out = new ArrayList<>();
    final List<Long> positions = new ArrayList<>();

    @Override
    public boolean line(byte[] buf, int off, int len, long pos, long next) {
      out.add(new String(buf, off, len, UTF_8));
      positions.add(pos);
      return true;
    }

    @Override
    public boolean oversize(long pos, long length, byte[] head, int headLen) {
      out.add("OVERSIZE@" + pos + ":" + length + ":" + new String(head, 0, Math.min(headLen, 3), UTF_8));
      positions.add(pos);
      return true;
    }
  }

  long read(Path f, long from, long cap, Collect c) throws IOException {
    try (FileChannel ch = FileChannel.open(f)) {
      return new LineReader(cap).read(ch, from, Long.MAX_VALUE, c);
    }
  }

  @Test
  void unfinishedLastLineIsLeftForLater() throws IOException {
    Path f = tmp.resolve("a");
    Files.writeString(f, "one\ntwo\nthr");
    Collect c = new Collect();
    long end = read(f, 0, 1000, c);
    assertEquals(List.of("one", "two"), c.out);
    assertEquals(8, end);
    Files.writeString(f, "one\ntwo\nthree\n");
    Collect c2 = new Collect();
    assertEquals(14, read(f, end, 1000, c2));
    assertEquals(List.of("three"), c2.out);
  }

  @Test
  void linesLongerThanTheCapAreReportedWithTheirPositionAndSkipped() throws IOException {
    Path f = tmp.resolve("a");
    String big = "x".repeat(3_000_000);
    Files.writeString(f, "a\n" + big + "\nb\n" + "y".repeat(50) + "\nc\n");
    Collect c = new Collect();
    long end = read(f, 0, 40, c);
    assertEquals(List.of("a", "OVERSIZE@2:3000000:xxx", "b", "OVERSIZE@3000005:50:yyy", "c"), c.out);
    assertEquals(Files.size(f), end);
  }

  @Test
  void anUnfinishedOversizeLineIsRetriedFromItsStart() throws IOException {
    Path f = tmp.resolve("a");
    Files.writeString(f, "a\n" + "z".repeat(500_000));
    Collect c = new Collect();
    assertEquals(2, read(f, 0, 1000, c));
    assertEquals(List.of("a"), c.out);
  }

  /** Whatever the line lengths (around the internal buffer sizes), every line comes out intact. */
  @Test
  void randomLineLengthsRoundTrip() throws IOException {
    Random r = new Random(7);
    List<String> lines = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      int len = r.nextInt(10) == 0 ? 200_000 + r.nextInt(600_000) : r.nextInt(300);
      String s = Integer.toString(i) + "-" + "q".repeat(len);
      lines.add(s);
      sb.append(s).append('\n');
    }
    Path f = tmp.resolve("a");
    Files.writeString(f, sb);
    Collect c = new Collect();
    assertEquals(Files.size(f), read(f, 0, 16 << 20, c));
    assertEquals(lines, c.out);
  }

  @Test
  void aBudgetStopsAtALineBoundary() throws IOException {
    Path f = tmp.resolve("a");
    Files.writeString(f, "aaaa\nbbbb\ncccc\n");
    Collect c = new Collect();
    try (FileChannel ch = FileChannel.open(f)) {
      long end = new LineReader(100).read(ch, 0, 6, c);
      assertEquals(10, end);
      assertEquals(List.of("aaaa", "bbbb"), c.out);
    }
  }
}
