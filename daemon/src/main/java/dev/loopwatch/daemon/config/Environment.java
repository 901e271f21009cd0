package dev.loopwatch.daemon.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The process environment the daemon honours, captured once so tests (and users) can isolate it
 * completely: {@code HOME}, {@code CLAUDE_CONFIG_DIR}, {@code XDG_CONFIG_HOME}, {@code XDG_STATE_HOME},
 * {@code XDG_RUNTIME_DIR} (and {@code LOOPWATCH_SOCKET}). Empty variables count as unset, as the XDG spec
 * says. {@code variables} is the whole environment, for rules shared with the client (socket path).
 */
public record Environment(
    Path home,
    String claudeConfigDir,
    Path xdgConfigHome,
    Path xdgStateHome,
    Path xdgRuntimeDir,
    Map<String, String> variables) {

  public Environment {
    Objects.requireNonNull(home, "home");
    variables = Map.copyOf(variables);
  }

  /** Reads the real environment; {@code HOME} wins over the JVM's {@code user.home} (which ignores it). */
  public static Environment fromSystem() {
    return from(System.getenv(), System.getProperty("user.home"));
  }

  public static Environment from(Map<String, String> env, String fallbackHome) {
    Path home = Path.of(nonEmpty(env.get("HOME")) != null ? env.get("HOME") : fallbackHome);
    return new Environment(
        home.toAbsolutePath(),
        nonEmpty(env.get("CLAUDE_CONFIG_DIR")),
        absolute(env.get("XDG_CONFIG_HOME")),
        absolute(env.get("XDG_STATE_HOME")),
        absolute(env.get("XDG_RUNTIME_DIR")),
        env);
  }

  /** {@code $XDG_CONFIG_HOME} or {@code ~/.config}. */
  public Path configHome() {
    return xdgConfigHome != null ? xdgConfigHome : home.resolve(".config");
  }

  /** {@code $XDG_STATE_HOME} or {@code ~/.local/state}. */
  public Path stateHome() {
    return xdgStateHome != null ? xdgStateHome : home.resolve(".local").resolve("state");
  }

  /** Where the config file is looked for when {@code --config} is not given. */
  public Path defaultConfigFile() {
    return configHome().resolve("loopwatch").resolve("loopwatch.yaml");
  }

  /** Expands a leading {@code ~} and makes the path absolute. */
  public Path expand(String path) {
    if (path.equals("~")) {
      return home;
    }
    if (path.startsWith("~/")) {
      return home.resolve(path.substring(2)).normalize();
    }
    return Path.of(path).toAbsolutePath().normalize();
  }

  private static String nonEmpty(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static Path absolute(String value) {
    // The XDG spec says relative values are invalid and must be ignored.
    String v = nonEmpty(value);
    return v != null && Path.of(v).isAbsolute() ? Path.of(v) : null;
  }
}
