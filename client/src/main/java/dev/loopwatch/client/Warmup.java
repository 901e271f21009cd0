package dev.loopwatch.client;

import dev.loopwatch.protocol.Json;
import dev.loopwatch.protocol.Request;
import dev.loopwatch.protocol.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code loopwatch --cds-warmup}: the build runs this once under {@code -XX:ArchiveClassesAtExit} so that
 * the AppCDS archive holds every class the client's hot paths load: the hook with a SessionStart payload
 * against a missing socket and against an answering one, long payloads being cut, every command's
 * rendering and JSON output, and a connect that fails. The "daemon" is a thread answering canned results
 * on a socket in a temporary directory: no network, nothing printed (but a failure, on stderr). With
 * {@code -Dloopwatch.cds.stamp=FILE} it also writes the class path it ran with to FILE.
 */
final class Warmup {
  private static final String SESSION_START =
      "{\"session_id\":\"abc123\",\"transcript_path\":\"/home/dev/.claude/projects/-home-dev-shop/abc123.jsonl\","
          + "\"cwd\":\"/home/dev/shop\",\"hook_event_name\":\"SessionStart\",\"source\":\"startup\",\"model\":\"claude-opus-4-5\"}";

  private Warmup() {}

  /**
   * Names a file to write the class path to: the archive only maps under the class path it was dumped
   * with (JDK 17 archives do not relocate), so the launcher compares the two before using it.
   */
  static final String STAMP_PROPERTY = "loopwatch.cds.stamp";

  static int run() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("loopwatch-cds-");
      exercise(dir);
      String stamp = System.getProperty(STAMP_PROPERTY);
      if (stamp != null && !stamp.isEmpty()) {
        Files.writeString(Path.of(stamp), System.getProperty("java.class.path") + "\n");
      }
    } catch (Throwable e) { // the archive is an optimisation: never fail the build over it
      System.err.println("loopwatch --cds-warmup: " + e);
    } finally {
      delete(dir);
    }
    return Exit.OK;
  }

  private static void exercise(Path dir) throws Exception {
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    Map<String, String> env = Map.of("HOME", dir.toString(), "LOOPWATCH_LAUNCHER", "/opt/loopwatch/bin/loopwatch");
    String missing = dir.resolve("missing.sock").toString();
    // loaded (never run) so that their classes are archived too
    Runnable halt = new HookCommand.Halt(new DaemonClient(Path.of(missing)), stdin(""), sink);
    Main.run(new String[] {"--socket", missing, "hook"}, stdin(SESSION_START), sink, sink, env);
    Main.run(new String[] {"--socket", missing, "ping"}, stdin(""), sink, sink, env);
    Main.run(new String[] {"sessions", "--bogus"}, stdin(""), sink, sink, env);
    Main.run(new String[] {"help"}, stdin(""), sink, sink, env);
    Main.run(new String[] {"--version"}, stdin(""), sink, sink, env);

    Map<String, Object> answers;
    try (InputStream in = Warmup.class.getResourceAsStream("sample-answers.json")) {
      answers = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Path socket = dir.resolve("warmup.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread answerer = new Thread(new Answerer(server, answers), "warmup-daemon");
      answerer.setDaemon(true);
      answerer.start();
      String s = socket.toString();
      Main.run(new String[] {"--socket", s, "hook"}, stdin(SESSION_START), sink, sink, env);
      Main.run(new String[] {"--socket", s, "hook"}, stdin(bigPostToolUse()), sink, sink, env);
      Main.run(new String[] {"--socket", s, "hook"}, stdin("not json"), sink, sink, env);
      for (String op : new String[] {"ping", "status", "sessions", "cost", "tools", "failures", "files", "rebuild"}) {
        Main.run(new String[] {"--socket", s, op}, stdin(""), sink, sink, env);
      }
      Main.run(new String[] {"--socket", s, "session", "3f1c2a9e"}, stdin(""), sink, sink, env);
      Main.run(new String[] {"--socket", s, "--json", "cost", "--by", "day"}, stdin(""), sink, sink, env);
    }
    Main.run(new String[] {"install-hooks", "--project", dir.toString()}, stdin(""), sink, sink, env);
    Main.run(new String[] {"uninstall-hooks", "--project", dir.toString()}, stdin(""), sink, sink, env);
    if (halt.hashCode() == 0) {
      sink.println(halt); // keeps the compiler from calling it unused
    }
  }

  private static String bigPostToolUse() {
    StringBuilder content = new StringBuilder();
    for (int k = 0; k < 40_000; k++) {
      content.append("line ").append(k).append(" of a file \"quoted\" \u00e9\n");
    }
    String c = Json.write(content.toString());
    return "{\"session_id\":\"abc123\",\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Write\",\"tool_input\":{\"content\":"
        + c + "},\"tool_response\":{\"content\":" + c + "}}";
  }

  private static InputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }

  /** Answers each connection's request line with the canned result for its op. */
  private static final class Answerer implements Runnable {
    private final ServerSocketChannel server;
    private final Map<String, Object> answers;

    Answerer(ServerSocketChannel server, Map<String, Object> answers) {
      this.server = server;
      this.answers = answers;
    }

    @Override
    public void run() {
      while (server.isOpen()) {
        try (SocketChannel ch = server.accept()) {
          ByteArrayOutputStream line = new ByteArrayOutputStream();
          ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
          read:
          while (ch.read(buf) >= 0) {
            for (int k = 0; k < buf.position(); k++) {
              if (buf.get(k) == '\n') {
                line.write(buf.array(), 0, k);
                break read;
              }
            }
            line.write(buf.array(), 0, buf.position());
            buf.clear();
          }
          Request request = Request.decode(line.toString(StandardCharsets.UTF_8));
          String answer = Response.ok(request.id(), answers.get(request.op())).encode() + "\n";
          ByteBuffer out = ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8));
          while (out.hasRemaining()) {
            ch.write(out);
          }
        } catch (Exception e) {
          if (!server.isOpen()) {
            return;
          }
        }
      }
    }
  }
}
