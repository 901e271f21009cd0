package dev.loopwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how long a line Claude Code appends to a transcript takes to become visible to queries
 * (DESIGN §15: within 250 ms, p99), for daemon/bench/live-benchmark.sh, against a running daemon that
 * has caught up.
 *
 * <p>Each round appends one assistant line (a new API response: its own message and request id, one
 * output token) to {@code --file}, then asks {@code {"op":"cost"}} over one connection every
 * {@code --poll-ms} until the total output tokens include it. The latency runs from the moment the
 * write returned to the moment the answer that first includes the line was read: inotify, reading,
 * parsing, the journal's commit, the projector's commit and the query, as a client sees them. Rounds
 * are {@code --interval-ms} apart (±50 % random, so they do not fall into step with any timer of the
 * daemon's); {@code --burst N} writes N lines at once per round (a turn with several responses) and
 * times the last one. {@code --prefill N} first appends N lines at once and waits until they are all
 * visible (a long session, whose later lines are then timed). {@code --tools true} makes each response a
 * Bash call and adds the user line with its result, as most of a working session's lines are.
 *
 * <pre>java -cp … dev.loopwatch.bench.LiveLatency --socket PATH --file TRANSCRIPT --session ID --cwd DIR
 *     [--lines 200] [--interval-ms 100] [--burst 1] [--poll-ms 1] [--timeout-ms 10000] [--prefill 0]
 *     [--tools false]</pre>
 *
 * <p>Prints {@code key=value} lines: {@code prefill} and {@code prefill_ms} (with --prefill),
 * {@code rounds}, {@code lines}, {@code p50_ms}, {@code p90_ms}, {@code p99_ms}, {@code max_ms},
 * {@code over_250ms} (rounds slower than the bar). Exit status 1 when
 * a line did not become visible within {@code --timeout-ms} or an answer was an error.
 */
public final class LiveLatency {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] COST = "{\"v\":1,\"id\":\"live\",\"op\":\"cost\",\"args\":{}}\n".getBytes(StandardCharsets.UTF_8);

  private final BufferedReader in;
  private final OutputStream out;

  private LiveLatency(SocketChannel ch) {
    this.out = Channels.newOutputStream(ch);
    this.in = new BufferedReader(Channels.newReader(ch, StandardCharsets.UTF_8));
  }

  public static void main(String[] args) throws IOException {
    Path socket = null;
    Path file = null;
    String session = null;
    String cwd = null;
    int lines = 200;
    int intervalMs = 100;
    int burst = 1;
    int pollMs = 1;
    int timeoutMs = 10_000;
    int prefill = 0;
    boolean tools = false;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--socket" -> socket = Path.of(v);
        case "--file" -> file = Path.of(v);
        case "--session" -> session = v;
        case "--cwd" -> cwd = v;
        case "--lines" -> lines = Integer.parseInt(v);
        case "--interval-ms" -> intervalMs = Integer.parseInt(v);
        case "--burst" -> burst = Integer.parseInt(v);
        case "--poll-ms" -> pollMs = Integer.parseInt(v);
        case "--timeout-ms" -> timeoutMs = Integer.parseInt(v);
        case "--prefill" -> prefill = Integer.parseInt(v);
        case "--tools" -> tools = Boolean.parseBoolean(v);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (socket == null || file == null || session == null || cwd == null || args.length % 2 != 0 || lines < 1
        || burst < 1 || intervalMs < 0 || pollMs < 0 || prefill < 0) {
      System.err.println("usage: LiveLatency --socket PATH --file TRANSCRIPT --session ID --cwd DIR [--lines 200]"
          + " [--interval-ms 100] [--burst 1] [--poll-ms 1] [--timeout-ms 10000] [--prefill 0] [--tools false]");
      System.exit(2);
    }
    Random random = new Random(42);
    // message, request and line ids unique to this run: a second run against the same daemon must not
    // repeat the first one's (the store would rightly count them once)
    String run = Long.toHexString(System.currentTimeMillis());
    int rounds = (lines + burst - 1) / burst;
    double[] millis = new double[rounds];
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        FileChannel transcript = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      LiveLatency live = new LiveLatency(ch);
      long expected = live.outputTokens();
      if (prefill > 0) {
        long t0 = System.nanoTime();
        for (int n = 0; n < prefill; n += 1000) {
          StringBuilder text = new StringBuilder();
          for (int i = n; i < Math.min(prefill, n + 1000); i++) {
            text.append(lines(session, cwd, run + "p", i, tools));
          }
          write(transcript, text);
        }
        expected += prefill;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(600);
        while (live.outputTokens() < expected) {
          if (System.nanoTime() > deadline) {
            System.err.printf("LiveLatency: the %d prefilled lines not visible after 600 s%n", prefill);
            System.exit(1);
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        System.out.printf(Locale.ROOT, "prefill=%d prefill_ms=%d%n", prefill, (System.nanoTime() - t0) / 1_000_000);
      }
      int written = 0;
      for (int round = 0; round < rounds; round++) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(intervalMs / 2 + random.nextInt(intervalMs + 1)));
        StringBuilder text = new StringBuilder();
        for (int b = 0; b < burst && written < lines; b++, written++) {
          text.append(lines(session, cwd, run, written, tools));
          expected++;
        }
        write(transcript, text);
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (live.outputTokens() < expected) {
          if (System.nanoTime() > deadline) {
            System.err.printf("LiveLatency: line %d not visible after %d ms%n", written, timeoutMs);
            System.exit(1);
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pollMs));
        }
        millis[round] = (System.nanoTime() - t0) / 1e6;
      }
      report(millis, written);
    }
  }

  private static void write(FileChannel transcript, CharSequence text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      transcript.write(bytes);
    }
  }

  /**
   * One API response of one output token, as Claude Code writes it: a text answer, or with
   * {@code tools} a Bash call followed by the user line with its result.
   */
  private static String lines(String session, String cwd, String run, int n, boolean tools) {
    String envelope =
        "\"isSidechain\":false,\"userType\":\"external\",\"cwd\":" + JSON.valueToTree(cwd) + ",\"sessionId\":\""
            + session + "\",\"version\":\"2.0.76\",\"gitBranch\":\"main\"";
    String toolId = "toolu_live" + run + "_" + n;
    String content =
        tools
            ? "{\"type\":\"tool_use\",\"id\":\"" + toolId + "\",\"name\":\"Bash\",\"input\":{\"command\":\"make test"
                + " # " + n + "\",\"description\":\"Run the tests\"}}"
            : "{\"type\":\"text\",\"text\":\"live line " + n + "\"}";
    String assistantUuid = UUID.randomUUID().toString();
    String assistant =
        String.format(
            Locale.ROOT,
            "{\"parentUuid\":null,%s,\"type\":\"assistant\",\"message\":{\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"id\":\"msg_live%s_%06d\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[%s],"
                + "\"stop_reason\":\"%s\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}},"
                + "\"requestId\":\"req_live%s_%06d\",\"uuid\":\"%s\",\"timestamp\":\"%s\"}\n",
            envelope, run, n, content, tools ? "tool_use" : "end_turn", run, n, assistantUuid, Instant.now());
    if (!tools) {
      return assistant;
    }
    return assistant
        + String.format(
            Locale.ROOT,
            "{\"parentUuid\":\"%s\",%s,\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":"
                + "[{\"tool_use_id\":\"%s\",\"type\":\"tool_result\",\"content\":\"%d tests passed\",\"is_error\":false}]},"
                + "\"uuid\":\"%s\",\"timestamp\":\"%s\"}\n",
            assistantUuid, envelope, toolId, n, UUID.randomUUID(), Instant.now());
  }

  private long outputTokens() throws IOException {
    out.write(COST);
    out.flush();
    String line = in.readLine();
    if (line == null) {
      throw new IOException("the daemon closed the connection");
    }
    JsonNode answer = JSON.readTree(line);
    if (!answer.path("ok").asBoolean()) {
      System.err.println("LiveLatency: the cost query failed: " + line);
      System.exit(1);
    }
    return answer.path("result").path("totals").path("outputTokens").asLong();
  }

  private static void report(double[] millis, int lines) {
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    List<String> out = new ArrayList<>();
    out.add("rounds=" + sorted.length);
    out.add("lines=" + lines);
    out.add(String.format(Locale.ROOT, "p50_ms=%.1f", QueryTimer.percentile(sorted, 50)));
    out.add(String.format(Locale.ROOT, "p90_ms=%.1f", QueryTimer.percentile(sorted, 90)));
    out.add(String.format(Locale.ROOT, "p99_ms=%.1f", QueryTimer.percentile(sorted, 99)));
    out.add(String.format(Locale.ROOT, "max_ms=%.1f", sorted[sorted.length - 1]));
    out.add("over_250ms=" + Arrays.stream(sorted).filter(m -> m > 250).count());
    out.forEach(System.out::println);
  }
}
