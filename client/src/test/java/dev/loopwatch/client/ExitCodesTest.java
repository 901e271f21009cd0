package dev.loopwatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exit statuses 2 (usage) and 3 (unreachable), and the messages that go with them; 0 and 1 are in QueryCommandsTest. */
class ExitCodesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "frobnicate                          | unknown command 'frobnicate'",
        "''                                  | no command given",
        "--since 2026-01-01 sessions         | unknown option --since (options go after the command)",
        "sessions --bogus 1                  | sessions: unknown option --bogus",
        "sessions -x                         | sessions: unknown option -x",
        "sessions --since                    | sessions: --since needs a value",
        "sessions --since --limit 3          | sessions: --since needs a value",
        "sessions --since=                   | sessions: --since needs a value",
        "sessions --limit ten                | sessions: --limit needs a whole number of at least 1, not 'ten'",
        "sessions --limit 0                  | sessions: --limit needs a whole number of at least 1, not '0'",
        "cost --limit 3                      | cost: unknown option --limit",
        "status extra                        | status: unexpected argument 'extra'",
        "session                             | session: which session? give its ID (loopwatch sessions lists them)",
        "session a b                         | session: one session ID, not 2",
        "--json=yes ping                     | --json takes no value",
        "ping --socket                       | --socket needs a value",
        "install-hooks --project             | install-hooks: --project needs a value",
      })
  void usageErrorsExitTwoWithTheReasonAndTheShortUsage(String line, String message) {
    String[] args = line.isBlank() ? new String[0] : line.trim().split("\\s+");
    // The socket is missing: a usage error must be found before any attempt to connect.
    Map<String, String> env = Run.env(dir);
    env.put("LOOPWATCH_SOCKET", dir.resolve("none.sock").toString());
    Run r = Run.of(env, args);
    assertEquals(Exit.USAGE, r.exit(), r.err());
    assertEquals("", r.out());
    assertEquals("loopwatch: " + message + "\n" + Usage.SHORT, r.err());
  }

  @Test
  void helpAndVersionExitZero() {
    Run help = Run.of(Run.env(dir), "help");
    assertEquals(0, help.exit());
    assertEquals(Usage.FULL, help.out());
    assertEquals(Usage.FULL, Run.of(Run.env(dir), "--help").out());
    assertEquals(Usage.FULL, Run.of(Run.env(dir), "sessions", "--help").out());
    Run version = Run.of(Run.env(dir), "--version");
    assertEquals(0, version.exit());
    assertTrue(version.out().matches("loopwatch \\S+ \\(protocol 1\\)\n"), version.out());
  }

  @Test
  void noSocketExitsThreeNamingTheSocketAndHowToStartTheDaemon() {
    Path socket = dir.resolve("run").resolve("loopwatch.sock");
    Run r = Run.of(Run.env(dir), Run.at(socket, "status"));
    assertEquals(Exit.UNREACHABLE, r.exit());
    assertEquals("", r.out());
    assertEquals(
        "loopwatch: cannot connect to " + socket + " (No such file or directory)\n" + unreachableHints(), r.err());
  }

  @Test
  void theDefaultSocketComesFromTheEnvironment() {
    Map<String, String> env = Run.env(dir);
    env.put("XDG_RUNTIME_DIR", dir.toString());
    Run r = Run.of(env, "ping");
    assertEquals(Exit.UNREACHABLE, r.exit());
    assertTrue(r.err().contains(dir.resolve("loopwatch").resolve("loopwatch.sock").toString()), r.err());
    env.put("LOOPWATCH_SOCKET", dir.resolve("explicit.sock").toString());
    assertTrue(Run.of(env, "ping").err().contains(dir.resolve("explicit.sock").toString()));
  }

  @Test
  void aSocketFileWithNobodyListeningExitsThree() throws IOException {
    Path socket = staleSocket(dir.resolve("stale.sock"));
    Run r = Run.of(Run.env(dir), Run.at(socket, "sessions"));
    assertEquals(Exit.UNREACHABLE, r.exit());
    assertTrue(r.err().startsWith("loopwatch: cannot connect to " + socket + " (Connection refused)\n"), r.err());
  }

  @Test
  void aSocketPathTooLongForUnixSocketsExitsThree() {
    Path socket = dir.resolve("x".repeat(120) + ".sock");
    Run r = Run.of(Run.env(dir), Run.at(socket, "ping"));
    assertEquals(Exit.UNREACHABLE, r.exit());
    assertTrue(r.err().startsWith("loopwatch: cannot connect to " + socket), r.err());
  }

  /** A socket file left behind by a server that is gone: connecting to it is refused. */
  static Path staleSocket(Path path) throws IOException {
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(path));
    }
    assertTrue(Files.exists(path));
    return path;
  }

  static String unreachableHints() {
    return QueryCommand.unreachable("x").substring("loopwatch: x\n".length());
  }
}
