package dev.loopwatch.client;

import java.util.Map;

/**
 * A parsed command line: the command, the request's args (flags without their dashes, an ID positional
 * as {@code id}) and the global options.
 */
final class Invocation {
  private final String command;
  private final Map<String, Object> args;
  private final boolean json;
  private final String socket;

  Invocation(String command, Map<String, Object> args, boolean json, String socket) {
    this.command = command;
    this.args = args;
    this.json = json;
    this.socket = socket;
  }

  String command() {
    return command;
  }

  /** The request's args, in the order given (the op is the command). */
  Map<String, Object> args() {
    return args;
  }

  /** A string flag's value, or {@code null}. */
  String flag(String name) {
    Object v = args.get(name);
    return v == null ? null : v.toString();
  }

  boolean json() {
    return json;
  }

  /** {@code --socket PATH}, or {@code null} for the default. */
  String socket() {
    return socket;
  }
}
