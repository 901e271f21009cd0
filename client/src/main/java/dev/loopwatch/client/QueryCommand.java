package dev.loopwatch.client;

import dev.loopwatch.protocol.Json;
import dev.loopwatch.protocol.ProtocolException;
import dev.loopwatch.protocol.Request;
import dev.loopwatch.protocol.Response;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The commands that ask the daemon something (status, sessions, session, cost, tools, failures, files,
 * rebuild, ping): one request named like the command, one answer, printed as a table or as JSON.
 */
final class QueryCommand {
  /** A hung daemon must not hang a terminal or a script forever. */
  static final long TIMEOUT_MS = 60_000;
  /** Replaying a year of journal takes a while. */
  static final long REBUILD_TIMEOUT_MS = 60 * 60_000;
  /** About what fits the launcher's 64 MiB heap with the parsed tree and the rendered text. */
  private static final int MAX_ANSWER_BYTES = 16 << 20;

  private final Invocation inv;
  private final Path socket;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  QueryCommand(Invocation inv, Path socket, PrintStream out, PrintStream err, Map<String, String> env) {
    this.inv = inv;
    this.socket = socket;
    this.out = out;
    this.err = err;
    this.env = env;
  }

  int run() {
    long timeoutMs = inv.command().equals("rebuild") ? REBUILD_TIMEOUT_MS : TIMEOUT_MS;
    DaemonClient client = new DaemonClient(socket);
    Watchdog watchdog = new Watchdog(
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs),
        client.aborter("the daemon at " + socket + " did not answer within " + timeoutMs / 1000 + " s"));
    watchdog.start();
    Response answer;
    try {
      answer = Response.decode(client.exchange(Request.of("1", inv.command(), inv.args()).encode(), MAX_ANSWER_BYTES));
    } catch (DaemonClient.Unreachable e) {
      Console.print(err, unreachable(e.getMessage()));
      return Exit.UNREACHABLE;
    } catch (ProtocolException e) {
      Console.print(err, "loopwatch: " + e.code() + ": " + e.getMessage() + "\n");
      return Exit.ERROR;
    } catch (OutOfMemoryError e) {
      return tooLarge();
    } finally {
      watchdog.finish();
    }
    if (!answer.ok()) {
      Console.print(err, "loopwatch: " + answer.errorCode() + ": " + answer.errorMessage() + "\n");
      return Exit.ERROR;
    }
    String text;
    try {
      text = inv.json()
          ? Json.pretty(answer.result()) + "\n"
          : Views.render(inv.command(), answer.result(), Formats.zone(inv.flag("timezone"), env));
    } catch (OutOfMemoryError e) {
      return tooLarge();
    }
    Console.print(out, text);
    return Exit.OK;
  }

  /** The launcher gives the client a small heap (start-up); a huge answer needs a larger one. */
  private int tooLarge() {
    Console.print(err, "loopwatch: the answer is too large for the client's memory; give it more with"
        + " LOOPWATCH_CLIENT_JAVA_OPTS=-Xmx512m, or narrow the question (--since, --limit)\n");
    return Exit.ERROR;
  }

  /** What to do about a daemon that is not there. */
  static String unreachable(String why) {
    return "loopwatch: " + why + "\n"
        + "Is the daemon running?  systemctl --user status loopwatch\n"
        + "Start it with systemctl --user start loopwatch, or run it in the foreground: loopwatchd\n"
        + "(installed) or daemon/loopwatchd (source checkout). --socket PATH or $LOOPWATCH_SOCKET\n"
        + "point the client at another socket.\n";
  }
}
