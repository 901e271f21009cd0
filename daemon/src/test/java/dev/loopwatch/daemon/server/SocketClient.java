package dev.loopwatch.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw NDJSON client for tests: writes whatever bytes a test wants (half lines, garbage, huge lines)
 * and reads answer lines with a deadline (JDK 17 has no read timeout for Unix channels, so reads go
 * through a selector). Not thread-safe; one per thread.
 */
public final class SocketClient implements AutoCloseable {
  /** Decimals as BigDecimal: costs are compared exactly. */
  public static final ObjectMapper JSON =
      new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final AtomicLong IDS = new AtomicLong();
  public static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);

  private final SocketChannel ch;
  private final Selector selector;
  private final Selector writable;
  private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  private SocketClient(SocketChannel ch) throws IOException {
    this.ch = ch;
    ch.configureBlocking(false);
    this.selector = Selector.open();
    ch.register(selector, SelectionKey.OP_READ);
    this.writable = Selector.open();
    ch.register(writable, SelectionKey.OP_WRITE);
  }

  /** Connects (blocking), then switches the channel to non-blocking reads. */
  public static SocketClient connect(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
      return new SocketClient(ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Writes the bytes as they are (no newline added). */
  public SocketClient sendRaw(byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    // the channel is non-blocking: wait for room instead of spinning hard
    while (b.hasRemaining()) {
      if (ch.write(b) == 0) {
        writable.select(100);
        writable.selectedKeys().clear();
      }
    }
    return this;
  }

  /** Writes what fits without waiting; returns the number of bytes written (0 when the pipe is full). */
  public int offer(ByteBuffer bytes) throws IOException {
    return ch.write(bytes);
  }

  public SocketClient sendRaw(String s) throws IOException {
    return sendRaw(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes one request line. */
  public SocketClient sendLine(String line) throws IOException {
    return sendRaw(line + "\n");
  }

  /** Reads the next answer line, or fails after {@code within}. */
  public String readLine(Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      String line = takeLine();
      if (line != null) {
        return line;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException("no answer line within " + within);
      }
      selector.select(Math.max(1, left / 1_000_000));
      selector.selectedKeys().clear();
      int n = ch.read(in);
      if (n < 0) {
        throw new IOException("connection closed by the daemon" + (pending.size() > 0 ? " after " + pending : ""));
      }
      in.flip();
      while (in.hasRemaining()) {
        pending.write(in.get());
      }
      in.clear();
    }
  }

  private String takeLine() {
    byte[] b = pending.toByteArray();
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n') {
        String line = new String(b, 0, i, StandardCharsets.UTF_8);
        pending.reset();
        pending.write(b, i + 1, b.length - i - 1);
        return line;
      }
    }
    return null;
  }

  public JsonNode readAnswer() throws IOException {
    return JSON.readTree(readLine(ANSWER_WITHIN));
  }

  /** Sends a line and parses the answer. */
  public JsonNode ask(String line) throws IOException {
    sendLine(line);
    return readAnswer();
  }

  /** A well-formed request with a fresh id; the answer must echo it. */
  public JsonNode request(String op, Map<String, ?> args) throws IOException {
    String id = "t" + IDS.incrementAndGet();
    ObjectNode r = JSON.createObjectNode();
    r.put("v", 1);
    r.put("id", id);
    r.put("op", op);
    r.set("args", JSON.valueToTree(args));
    JsonNode answer = ask(JSON.writeValueAsString(r));
    if (!id.equals(answer.path("id").asText(null))) {
      throw new IllegalStateException("answer to " + id + " carries id " + answer.get("id") + ": " + answer);
    }
    return answer;
  }

  public JsonNode request(String op) throws IOException {
    return request(op, Map.of());
  }

  /**
   * Waits up to {@code within} for the daemon to close this connection; true when it did (end of
   * stream or a reset), false when the connection is still open. Answer lines read meanwhile are kept.
   */
  public boolean closedByPeerWithin(Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      selector.select(Math.max(1, left / 1_000_000));
      selector.selectedKeys().clear();
      int n;
      try {
        n = ch.read(in);
      } catch (IOException reset) {
        return true;
      }
      if (n < 0) {
        return true;
      }
      in.flip();
      while (in.hasRemaining()) {
        pending.write(in.get());
      }
      in.clear();
    }
  }

  public boolean isOpen() {
    return ch.isOpen();
  }

  @Override
  public void close() {
    try {
      selector.close();
      writable.close();
      ch.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
