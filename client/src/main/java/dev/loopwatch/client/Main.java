package dev.loopwatch.client;

import dev.loopwatch.protocol.Protocol;
import dev.loopwatch.protocol.SocketPaths;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code loopwatch}: the command line client of the Loopwatch daemon and Claude Code's hook adapter.
 * It runs before every Claude Code session, so start-up time is a feature: the JDK and loopwatch-protocol
 * only, no reflection, no lambdas or string-concat bootstraps on the hook's path, an AppCDS archive
 * (client/loopwatch). Exit statuses: {@link Exit}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // This process is the client's own: a hook past its deadline may halt it.
    System.exit(run(args, System.in, System.out, System.err, System.getenv(), true));
  }

  /** Runs one command line and returns its exit status. Never halts the JVM (tests call it). */
  public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(args, stdin, out, err, env, false);
  }

  static int run(
      String[] args, InputStream stdin, PrintStream out, PrintStream err, Map<String, String> env, boolean ownsProcess) {
    long started = System.nanoTime();
    boolean hook = "hook".equals(CommandLine.commandOf(args));
    Invocation inv;
    Path socket;
    try {
      inv = CommandLine.parse(args);
      socket = inv.socket() != null ? Path.of(inv.socket()).toAbsolutePath() : SocketPaths.socket(env, System.getProperty("user.home"));
    } catch (CommandLine.UsageException | InvalidPathException e) {
      Console.print(err, "loopwatch: " + e.getMessage() + "\n" + Usage.SHORT);
      return hook ? Exit.OK : Exit.USAGE; // a hook exits 0 whatever it was given
    }
    switch (inv.command()) {
      case "help":
        Console.print(out, Usage.FULL);
        return Exit.OK;
      case CommandLine.VERSION:
        Console.print(out, "loopwatch " + version() + " (protocol " + Protocol.VERSION + ")\n");
        return Exit.OK;
      case CommandLine.CDS_WARMUP:
        return Warmup.run();
      case "hook":
        try {
          return new HookCommand(socket, stdin, out, err, ownsProcess, started).run();
        } catch (Throwable e) {
          return Exit.OK;
        }
      case "install-hooks":
      case "uninstall-hooks":
        return new HooksCommand(inv, env, out, err).run();
      default:
        return new QueryCommand(inv, socket, out, err, env).run();
    }
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
