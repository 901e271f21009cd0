package dev.loopwatch.client;

import dev.loopwatch.protocol.Json;
import dev.loopwatch.protocol.ProtocolException;
import dev.loopwatch.protocol.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code loopwatch hook}: the Claude Code hook adapter. Reads the hook's payload on stdin, hands it to the
 * daemon as one {@code hook} request and, for SessionStart, prints the daemon's context, which Claude Code
 * adds to the new session (reference/claude-code-formats.md §2.4). Nothing else ever reaches stdout.
 *
 * <p>A hook must never slow a session down nor fail it: it exits 0 whatever happens, and within its
 * deadline (1 s for SessionStart, 300 ms for the rest, counted from the start of {@code main}; the daemon
 * may set others in {@code client.properties}; the JVM's own start-up comes before). The deadline is a
 * watchdog thread: when the client owns the process it halts the JVM ({@link Halt}), which stops even a
 * read of a stdin that never ends; inside a test it aborts the socket instead. Until the event is known
 * (stdin read), the longer deadline applies.
 */
final class HookCommand {
  static final String SESSION_START = "SessionStart";
  private static final int MAX_ANSWER_BYTES = 4 << 20;

  private final Path socket;
  private final InputStream stdin;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean ownsProcess;
  private final long startedNanos;

  HookCommand(Path socket, InputStream stdin, PrintStream out, PrintStream err, boolean ownsProcess, long startedNanos) {
    this.socket = socket;
    this.stdin = stdin;
    this.out = out;
    this.err = err;
    this.ownsProcess = ownsProcess;
    this.startedNanos = startedNanos;
  }

  int run() {
    ClientSettings settings = ClientSettings.near(socket);
    DaemonClient client = new DaemonClient(socket);
    Runnable expire = ownsProcess ? new Halt(client, stdin, err) : client.aborter("no answer within the hook's deadline");
    long longest = Math.max(settings.sessionStartDeadlineMs(), settings.deadlineMs());
    Watchdog watchdog = new Watchdog(startedNanos + TimeUnit.MILLISECONDS.toNanos(longest), expire);
    watchdog.start();
    String context = "";
    try {
      HookInput input = HookInput.read(stdin, settings.maxRequestBytes());
      boolean sessionStart = SESSION_START.equals(input.event());
      long deadline = sessionStart ? settings.sessionStartDeadlineMs() : settings.deadlineMs();
      watchdog.moveTo(startedNanos + TimeUnit.MILLISECONDS.toNanos(deadline));
      String line = HookRequest.line("1", input, settings.maxRequestBytes());
      Response answer = Response.decode(client.exchange(line, MAX_ANSWER_BYTES));
      if (!answer.ok()) {
        warn("the daemon answered " + answer.errorCode() + ": " + answer.errorMessage());
      } else if (sessionStart) {
        context = contextOf(answer.result());
      }
    } catch (DaemonClient.Unreachable e) {
      warn(e.getMessage());
    } catch (ProtocolException e) {
      warn(e.getMessage());
    } catch (Throwable e) { // a hook exits 0 whatever happened, out of memory included
      warn(watchdog.expired() ? "stopped at the hook's deadline (stdin still open?)" : "failed: " + e);
    }
    if (!watchdog.finish()) {
      return Exit.OK; // past the deadline: say nothing rather than something late or partial
    }
    if (!context.isEmpty()) {
      Console.print(out, render(context));
    }
    return Exit.OK;
  }

  private void warn(String message) {
    // Claude Code keeps a hook's stderr in its debug log only (exit 0): useful, never in the way.
    Console.print(err, "loopwatch hook: " + message + "\n");
  }

  private static String contextOf(Object result) {
    if (result instanceof Map<?, ?> m && m.get("context") instanceof String s) {
      return s;
    }
    return "";
  }

  /**
   * Plain text, one newline at the end. Text that starts with '{' would be read by Claude Code as the
   * hook's JSON control output, so it travels inside that JSON instead, as additional context.
   */
  static String render(String context) {
    if (context.strip().startsWith("{")) {
      Map<String, Object> specific = new LinkedHashMap<>();
      specific.put("hookEventName", SESSION_START);
      specific.put("additionalContext", context);
      Map<String, Object> control = new LinkedHashMap<>();
      control.put("hookSpecificOutput", specific);
      return Json.write(control) + "\n";
    }
    return context.endsWith("\n") ? context : context + "\n";
  }

  /**
   * The hard stop: no shutdown hooks, no flushing of half-written output. The JVM's exit waits up to
   * 300 ms for threads blocked in native code (HotSpot's VM_Exit), such as a read of stdin or of the
   * socket, so those are closed first (which wakes their readers); by another thread, for a close can
   * wait on its reader, and for no more than {@link #UNBLOCK_MS} before halting all the same.
   */
  static final class Halt implements Runnable {
    static final long UNBLOCK_MS = 50;
    private final DaemonClient client;
    private final InputStream stdin;
    private final PrintStream err;

    Halt(DaemonClient client, InputStream stdin, PrintStream err) {
      this.client = client;
      this.stdin = stdin;
      this.err = err;
    }

    @Override
    public void run() {
      Console.print(err, "loopwatch hook: stopped at its deadline\n");
      Thread unblock = new Thread(new Unblock(client, stdin), "loopwatch-unblock");
      unblock.setDaemon(true);
      unblock.start();
      try {
        unblock.join(UNBLOCK_MS);
      } catch (InterruptedException e) {
        // halting anyway
      }
      Runtime.getRuntime().halt(Exit.OK);
    }
  }

  private static final class Unblock implements Runnable {
    private final DaemonClient client;
    private final InputStream stdin;

    Unblock(DaemonClient client, InputStream stdin) {
      this.client = client;
      this.stdin = stdin;
    }

    @Override
    public void run() {
      client.abort("no answer within the hook's deadline");
      try {
        stdin.close();
      } catch (IOException e) {
        // halting anyway
      }
    }
  }
}
