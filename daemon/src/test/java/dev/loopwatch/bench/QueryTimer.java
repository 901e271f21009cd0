package dev.loopwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times totals queries against a running daemon for the store benchmark (daemon/bench/store-benchmark.sh),
 * from ONE process over ONE connection, so that neither JVM start-up nor connecting is measured: after
 * {@code --warmup} untimed rounds, {@code --requests} rounds of {@code {"op":"cost","args":{}}} and
 * {@code {"op":"cost","args":{"by":"day"}}}, alternating, each timed from the request's first byte
 * written to its answer's newline read.
 *
 * <pre>java -cp … dev.loopwatch.bench.QueryTimer --socket PATH [--requests 50] [--warmup 5]</pre>
 *
 * <p>Prints {@code key=value} lines: {@code totals=<JSON>} (the totals of the first answer, ccusage's
 * field names), then per query {@code query=NAME n=N median_ms=… p90_ms=… min_ms=… max_ms=… rows=R}.
 * Exit status 1 when an answer is an error.
 */
public final class QueryTimer {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws IOException {
    Path socket = null;
    int requests = 50;
    int warmup = 5;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--socket" -> socket = Path.of(args[i + 1]);
        case "--requests" -> requests = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (socket == null || args.length % 2 != 0 || requests < 1 || warmup < 0) {
      System.err.println("usage: QueryTimer --socket PATH [--requests 50] [--warmup 5]");
      System.exit(2);
    }
    Map<String, String> queries = new LinkedHashMap<>();
    queries.put("cost-totals", "{}");
    queries.put("cost-by-day", "{\"by\":\"day\"}");
    Map<String, List<Double>> times = new LinkedHashMap<>();
    Map<String, Integer> rows = new LinkedHashMap<>();
    queries.keySet().forEach(q -> times.put(q, new ArrayList<>()));

    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      OutputStream out = Channels.newOutputStream(ch);
      BufferedReader in = new BufferedReader(Channels.newReader(ch, StandardCharsets.UTF_8));
      long id = 0;
      for (int round = 0; round < warmup + requests; round++) {
        for (Map.Entry<String, String> q : queries.entrySet()) {
          byte[] request = ("{\"v\":1,\"id\":\"q" + (++id) + "\",\"op\":\"cost\",\"args\":" + q.getValue() + "}\n")
              .getBytes(StandardCharsets.UTF_8);
          long t0 = System.nanoTime();
          out.write(request);
          out.flush();
          String line = in.readLine();
          long nanos = System.nanoTime() - t0;
          if (line == null) {
            throw new IOException("the daemon closed the connection");
          }
          JsonNode answer = JSON.readTree(line);
          if (!answer.path("ok").asBoolean()) {
            System.err.println("QueryTimer: " + q.getKey() + " failed: " + line);
            System.exit(1);
          }
          if (round == 0 && q.getKey().equals("cost-totals")) {
            System.out.println("totals=" + JSON.writeValueAsString(answer.path("result").path("totals")));
          }
          rows.put(q.getKey(), answer.path("result").path("rows").size());
          if (round >= warmup) {
            times.get(q.getKey()).add(nanos / 1e6);
          }
        }
      }
    }
    for (String q : queries.keySet()) {
      double[] t = times.get(q).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf(Locale.ROOT, "query=%s n=%d median_ms=%.2f p90_ms=%.2f min_ms=%.2f max_ms=%.2f rows=%d%n",
          q, t.length, percentile(t, 50), percentile(t, 90), t[0], t[t.length - 1], rows.get(q));
    }
  }

  /** Nearest-rank percentile of sorted values (the median of an even count: the mean of the middle two). */
  static double percentile(double[] sorted, int p) {
    if (p == 50 && sorted.length % 2 == 0) {
      return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private QueryTimer() {}
}
