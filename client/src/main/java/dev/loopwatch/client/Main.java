package dev.loopwatch.client;

import dev.loopwatch.protocol.Protocol;
import dev.loopwatch.protocol.SocketPaths;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
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

  /** Names the NIO provider class; see {@link #directSelectorProvider()}. */
  static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";

  public static void main(String[] args) {
    directSelectorProvider();
    // This process is the client's own: a hook past its deadline may halt it.
    System.exit(run(args, System.in, System.out, System.err, System.getenv(), true));
  }

  /**
   * Names the platform's NIO provider, so that opening the socket skips the JDK's search for another
   * one (a ServiceLoader scan of the class path: measured about 25 ms of every run on a busy machine).
   * Only where the class exists (Linux); elsewhere the JDK searches as usual.
   */
  static void directSelectorProvider() {
    if (System.getProperty(SELECTOR_PROVIDER) != null) {
      return;
    }
    try {
      Class.forName("sun.nio.ch.EPollSelectorProvider", false, null);
      System.setProperty(SELECTOR_PROVIDER, "sun.nio.ch.EPollSelectorProvider");
    } catch (ClassNotFoundException | LinkageError e) {
      // not Linux: the JDK finds its provider itself
    }
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
          return new HookCommand(socket, ownsProcess ? interruptibleStdin() : stdin, out, err, ownsProcess, started).run();
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

  /**
   * The process's stdin as a channel: closing it wakes a thread blocked reading it (System.in would
   * stay blocked), which the hook's deadline relies on.
   */
  private static InputStream interruptibleStdin() {
    return Channels.newInputStream(new FileInputStream(FileDescriptor.in).getChannel());
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
