package dev.loopwatch.daemon;

import dev.loopwatch.daemon.config.ConfigLoader;
import dev.loopwatch.daemon.config.Environment;
import dev.loopwatch.daemon.config.LoopwatchConfig;
import dev.loopwatch.daemon.server.RequestDispatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code loopwatchd --cds-warmup}: runs a complete daemon once on a tiny transcript in a temporary
 * directory — ingest, journal, store, queries over the dispatcher — and stops it. Launched with
 * {@code -XX:ArchiveClassesAtExit} (by the build and by install.sh), it leaves a class-data archive of
 * everything the daemon loads, which roughly halves its start-up (1.3–1.8 s to about 0.7 s here).
 */
final class CdsWarmup {
  private CdsWarmup() {}

  static void run() throws Exception {
    Path tmp = Files.createTempDirectory("loopwatch-cds-");
    try {
      Path home = tmp.resolve("home");
      Path project = home.resolve(".claude/projects/-warmup");
      Files.createDirectories(project);
      Files.writeString(project.resolve("s1.jsonl"), transcript(home), StandardCharsets.UTF_8);
      Environment env =
          Environment.from(
              Map.of(
                  "HOME", home.toString(),
                  "XDG_STATE_HOME", tmp.resolve("state").toString(),
                  "XDG_CONFIG_HOME", tmp.resolve("config").toString(),
                  "XDG_RUNTIME_DIR", tmp.resolve("run").toString()),
              home.toString());
      ConfigLoader loader = new ConfigLoader(env);
      LoopwatchConfig config = loader.defaults();
      Daemon daemon = new Daemon(config, loader, null, null, "warmup", Clock.systemUTC());
      try {
        daemon.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(daemon.ingest().isCaughtUp() && daemon.projector().caughtUp() && daemon.journal().lastIndex() >= 0)
            && System.nanoTime() < deadline) {
          daemon.projector().awaitProjected(Math.max(0, daemon.journal().lastIndex()), Duration.ofMillis(100));
        }
        RequestDispatcher dispatcher = new RequestDispatcher(daemon, Clock.systemUTC());
        for (String request :
            new String[] {
              "{\"v\":1,\"id\":\"1\",\"op\":\"ping\"}",
              "{\"v\":1,\"id\":\"2\",\"op\":\"status\"}",
              "{\"v\":1,\"id\":\"3\",\"op\":\"cost\",\"args\":{\"by\":\"day\"}}",
              "{\"v\":1,\"id\":\"4\",\"op\":\"sessions\"}",
              "{\"v\":1,\"id\":\"5\",\"op\":\"session\",\"args\":{\"id\":\"s1\"}}",
              "{\"v\":1,\"id\":\"6\",\"op\":\"tools\"}",
              "{\"v\":1,\"id\":\"7\",\"op\":\"failures\"}",
              "{\"v\":1,\"id\":\"8\",\"op\":\"files\"}",
              "{\"v\":1,\"id\":\"9\",\"op\":\"hook\",\"args\":{\"payload\":{\"hook_event_name\":\"SessionStart\",\"session_id\":\"s2\",\"cwd\":\"/warmup\"}}}",
              "not json"
            }) {
          dispatcher.handle(request);
        }
      } finally {
        daemon.close();
      }
    } finally {
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory left behind is harmless
      }
    }
  }

  private static String transcript(Path home) {
    String cwd = "/warmup";
    String t = "2026-01-01T10:00:0";
    return String.join(
        "\n",
        "{\"type\":\"user\",\"uuid\":\"u1\",\"sessionId\":\"s1\",\"cwd\":\"" + cwd + "\",\"timestamp\":\"" + t + "0Z\","
            + "\"message\":{\"role\":\"user\",\"content\":\"warm up\"}}",
        "{\"type\":\"assistant\",\"uuid\":\"a1\",\"sessionId\":\"s1\",\"cwd\":\"" + cwd + "\",\"timestamp\":\"" + t
            + "1Z\",\"requestId\":\"req_1\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-sonnet-4-5-20250929\","
            + "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}],"
            + "\"usage\":{\"input_tokens\":3,\"output_tokens\":5,\"cache_creation_input_tokens\":10,"
            + "\"cache_read_input_tokens\":20}}}",
        "{\"type\":\"user\",\"uuid\":\"u2\",\"sessionId\":\"s1\",\"cwd\":\"" + cwd + "\",\"timestamp\":\"" + t + "2Z\","
            + "\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
            + "\"is_error\":true,\"content\":\"Exit code 1\\nls: cannot access '" + home + "': No such file\"}]}}",
        "{\"type\":\"summary\",\"summary\":\"warm-up\",\"leafUuid\":\"u2\"}",
        "");
  }
}
