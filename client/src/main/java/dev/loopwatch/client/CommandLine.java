package dev.loopwatch.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code loopwatch [--json] [--socket PATH] COMMAND [OPTIONS]}. Each command takes a fixed set of
 * flags; they become the request's args as strings (dates and zones are the daemon's to validate), except
 * {@code --limit}, a number. Global options may stand anywhere.
 */
final class CommandLine {
  /** A command line that does not follow the usage; the message says what is wrong. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Commands and the flags each takes. */
  private static final Map<String, List<String>> FLAGS =
      Map.ofEntries(
          Map.entry("status", List.of()),
          Map.entry("sessions", List.of("project", "since", "until", "outcome", "limit", "timezone")),
          Map.entry("session", List.of()),
          Map.entry("cost", List.of("by", "since", "until", "timezone", "project")),
          Map.entry("tools", List.of("since", "timezone")),
          Map.entry("failures", List.of("since", "limit")),
          Map.entry("files", List.of("since", "project", "limit")),
          Map.entry("rebuild", List.of()),
          Map.entry("ping", List.of()),
          Map.entry("hook", List.of()),
          Map.entry("install-hooks", List.of("project")),
          Map.entry("uninstall-hooks", List.of("project")),
          Map.entry("help", List.of()));

  /** Commands that are not a request to the daemon but are spelled like options. */
  static final String VERSION = "--version";
  static final String CDS_WARMUP = "--cds-warmup";

  private CommandLine() {}

  /** The command named in {@code argv} (first word that is not a global option), or {@code null}. */
  static String commandOf(String[] argv) {
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (a.equals("--socket")) {
        i++;
      } else if (!a.equals("--json") && !a.startsWith("--socket=")) {
        return a;
      }
    }
    return null;
  }

  static Invocation parse(String[] argv) throws UsageException {
    String command = null;
    boolean json = false;
    String socket = null;
    Map<String, Object> flags = new LinkedHashMap<>();
    List<String> positionals = new ArrayList<>();
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      String name = null;
      String value = null;
      if (a.startsWith("--") && a.length() > 2) {
        int eq = a.indexOf('=');
        name = eq < 0 ? a.substring(2) : a.substring(2, eq);
        value = eq < 0 ? null : a.substring(eq + 1);
      }
      if ("json".equals(name)) {
        if (value != null) {
          throw new UsageException("--json takes no value");
        }
        json = true;
        continue;
      }
      if ("socket".equals(name)) {
        if (value == null) {
          value = next(argv, i, "", "socket");
          i++;
        }
        socket = nonEmpty(value, "", "socket");
        continue;
      }
      if ("help".equals(name) || a.equals("-h")) {
        command = "help";
        continue;
      }
      if (command == null) {
        if (a.equals(VERSION) || a.equals(CDS_WARMUP)) {
          command = a;
          continue;
        }
        if (a.startsWith("-")) {
          throw new UsageException("unknown option " + a + " (options go after the command)");
        }
        if (!FLAGS.containsKey(a)) {
          throw new UsageException("unknown command '" + a + "'");
        }
        command = a;
        continue;
      }
      if (name != null) {
        List<String> allowed = FLAGS.get(command);
        if (allowed == null || !allowed.contains(name)) {
          throw new UsageException(command + ": unknown option --" + name);
        }
        if (value == null) {
          value = next(argv, i, command + ": ", name);
          i++;
        }
        value = nonEmpty(value, command + ": ", name);
        flags.put(name, name.equals("limit") ? positiveNumber(command, value) : value);
        continue;
      }
      if (a.startsWith("-") && a.length() > 1) {
        throw new UsageException(command + ": unknown option " + a);
      }
      positionals.add(a);
    }
    if (command == null) {
      throw new UsageException("no command given");
    }
    Map<String, Object> args = flags;
    if (command.equals("session")) {
      if (positionals.size() != 1) {
        throw new UsageException(
            positionals.isEmpty() ? "session: which session? give its ID (loopwatch sessions lists them)"
                : "session: one session ID, not " + positionals.size());
      }
      args = new LinkedHashMap<>();
      args.put("id", positionals.get(0));
      args.putAll(flags);
    } else if (!positionals.isEmpty() && !command.equals("help")) {
      throw new UsageException(command + ": unexpected argument '" + positionals.get(0) + "'");
    }
    return new Invocation(command, args, json, socket);
  }

  private static String next(String[] argv, int i, String where, String name) throws UsageException {
    if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
      throw new UsageException(where + "--" + name + " needs a value");
    }
    return argv[i + 1];
  }

  private static String nonEmpty(String value, String where, String name) throws UsageException {
    if (value.isBlank()) {
      throw new UsageException(where + "--" + name + " needs a value");
    }
    return value;
  }

  private static Long positiveNumber(String command, String value) throws UsageException {
    try {
      long n = Long.parseLong(value.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(command + ": --limit needs a whole number of at least 1, not '" + value + "'");
  }
}
