package dev.loopwatch.protocol;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon's socket is (DESIGN §13), decided the same way by the daemon and the client:
 * {@code $LOOPWATCH_SOCKET} when set, else {@code $XDG_RUNTIME_DIR/loopwatch/loopwatch.sock}, else
 * (no runtime dir, e.g. outside a login session) {@code <state dir>/loopwatch.sock} with the state dir
 * {@code $XDG_STATE_HOME/loopwatch} or {@code ~/.local/state/loopwatch}.
 */
public final class SocketPaths {
  public static final String SOCKET_ENV = "LOOPWATCH_SOCKET";
  public static final String SOCKET_NAME = "loopwatch.sock";
  /** Settings the daemon leaves next to its socket for the client (hook deadlines), as properties. */
  public static final String CLIENT_SETTINGS = "client.properties";

  private SocketPaths() {}

  /** The socket path for this environment; {@code home} is used when HOME is unset. */
  public static Path socket(Map<String, String> env, String home) {
    String explicit = nonEmpty(env.get(SOCKET_ENV));
    if (explicit != null) {
      return Path.of(explicit).toAbsolutePath();
    }
    String runtime = nonEmpty(env.get("XDG_RUNTIME_DIR"));
    if (runtime != null && Path.of(runtime).isAbsolute()) {
      return Path.of(runtime, "loopwatch", SOCKET_NAME);
    }
    return stateDir(env, home).resolve(SOCKET_NAME);
  }

  /** {@code $XDG_STATE_HOME/loopwatch} or {@code ~/.local/state/loopwatch}. */
  public static Path stateDir(Map<String, String> env, String home) {
    String state = nonEmpty(env.get("XDG_STATE_HOME"));
    if (state != null && Path.of(state).isAbsolute()) {
      return Path.of(state, "loopwatch");
    }
    String h = nonEmpty(env.get("HOME")) != null ? env.get("HOME") : home;
    return Path.of(h, ".local", "state", "loopwatch");
  }

  private static String nonEmpty(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
