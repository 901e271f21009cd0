package dev.loopwatch.client;

import dev.loopwatch.protocol.Json;
import dev.loopwatch.protocol.ProtocolException;
import dev.loopwatch.protocol.Request;
import dev.loopwatch.protocol.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real Unix socket server on a thread, standing in for the daemon: it answers each connection's
 * request line with what {@link #answer} says (by default the canned results of
 * {@code sample-answers.json}), or hangs, or hangs up, and keeps every request line it read.
 */
final class FakeDaemon implements AutoCloseable {
  enum Mode {
    /** Read the request, answer it. */
    ANSWER,
    /** Read the request, never answer (the connection stays open until close()). */
    SILENT,
    /** Accept, never read, never answer. */
    DEAF,
    /** Read the request, close the connection without answering. */
    HANG_UP
  }

  private final Path socket;
  private final ServerSocketChannel server;
  private final Thread thread;
  private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
  private final List<SocketChannel> held = new ArrayList<>();
  private volatile Mode mode = Mode.ANSWER;
  private volatile Function<Request, String> answer = FakeDaemon::canned;

  private FakeDaemon(Path socket) throws IOException {
    this.socket = socket;
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    this.thread = new Thread(this::serve, "fake-daemon");
    thread.setDaemon(true);
    thread.start();
  }

  static FakeDaemon start(Path socket) throws IOException {
    return new FakeDaemon(socket);
  }

  Path socket() {
    return socket;
  }

  FakeDaemon mode(Mode m) {
    this.mode = m;
    return this;
  }

  /** Answers with the response line this function returns (no newline). */
  FakeDaemon answer(Function<Request, String> f) {
    this.answer = f;
    return this;
  }

  /** Answers with an error for every request. */
  FakeDaemon error(String code, String message) {
    return answer(r -> "{\"v\":1,\"id\":\"" + r.id() + "\",\"ok\":false,\"error\":{\"code\":\"" + code + "\",\"message\":"
        + Json.write(message) + "}}");
  }

  /** The next request line the server read, waiting up to 10 s (no sleeping: a blocking queue). */
  String request() throws InterruptedException {
    String line = requests.poll(10, TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("the fake daemon got no request");
    }
    return line;
  }

  /** Forgets the requests read so far. */
  void forget() {
    requests.clear();
  }

  /** A request line, if one arrived within {@code wait}. */
  String requestWithin(Duration wait) throws InterruptedException {
    return requests.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next request, parsed. */
  Map<String, Object> requestJson() throws InterruptedException {
    return Json.parseObject(request());
  }

  static Map<String, Object> samples() {
    try (InputStream in = FakeDaemon.class.getResourceAsStream("sample-answers.json")) {
      return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String canned(Request r) {
    return Response.ok(r.id(), samples().get(r.op())).encode();
  }

  private void serve() {
    while (server.isOpen()) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        Mode m = mode;
        if (m == Mode.DEAF) {
          hold(ch);
          continue;
        }
        String line = readLine(ch);
        if (line != null) {
          requests.add(line);
        }
        switch (m) {
          case SILENT -> hold(ch);
          case HANG_UP -> ch.close();
          default -> {
            String out = line == null ? null : respond(line);
            if (out != null) {
              ByteBuffer b = ByteBuffer.wrap((out + "\n").getBytes(StandardCharsets.UTF_8));
              while (b.hasRemaining()) {
                ch.write(b);
              }
            }
            ch.close();
          }
        }
      } catch (IOException e) {
        closeQuietly(ch);
      }
    }
  }

  private String respond(String line) {
    try {
      return answer.apply(Request.decode(line));
    } catch (ProtocolException e) {
      return Response.error(null, e.code(), e.getMessage()).encode();
    }
  }

  private synchronized void hold(SocketChannel ch) {
    held.add(ch);
  }

  private static String readLine(SocketChannel ch) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    while (ch.read(buf) >= 0) {
      for (int k = 0; k < buf.position(); k++) {
        if (buf.get(k) == '\n') {
          line.write(buf.array(), 0, k);
          return line.toString(StandardCharsets.UTF_8);
        }
      }
      line.write(buf.array(), 0, buf.position());
      buf.clear();
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // test teardown
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (this) {
      for (SocketChannel ch : held) {
        closeQuietly(ch);
      }
    }
    Files.deleteIfExists(socket);
  }
}
