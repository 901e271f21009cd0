package dev.loopwatch.client;

import dev.loopwatch.protocol.Protocol;
import dev.loopwatch.protocol.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * One request, one answer over the daemon's Unix socket (DESIGN §13: one JSON object per line). Blocking
 * I/O, because it starts fastest; a deadline is enforced from outside by {@link #abort}, which closes the
 * channel and so wakes a thread blocked in connect, write or read.
 */
final class DaemonClient {
  /** The daemon could not be reached, or went away before answering. */
  static final class Unreachable extends IOException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message) {
      super(message);
    }
  }

  private static final byte NEWLINE = '\n';

  private final Path socket;
  private SocketChannel channel;
  private String abortReason;

  DaemonClient(Path socket) {
    this.socket = socket;
  }

  Path socket() {
    return socket;
  }

  /**
   * Sends {@code requestLine} (no newline in it) and returns the answer line without its newline.
   *
   * @param maxAnswerBytes an answer longer than this is refused (a confused peer must not fill the heap)
   */
  String exchange(String requestLine, int maxAnswerBytes) throws Unreachable, ProtocolException {
    SocketChannel ch;
    try {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (IOException e) {
      throw new Unreachable("cannot open a Unix socket: " + reason(e));
    }
    synchronized (this) {
      if (abortReason != null) {
        close(ch);
        throw new Unreachable(abortReason);
      }
      channel = ch;
    }
    try {
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException | InvalidPathException e) {
        throw new Unreachable("cannot connect to " + socket + " (" + reason(e) + ")");
      }
      write(ch, requestLine.getBytes(StandardCharsets.UTF_8));
      return readLine(ch, maxAnswerBytes);
    } catch (Unreachable e) {
      throw aborted(e);
    } catch (IOException e) {
      throw aborted(new Unreachable("the connection to " + socket + " failed (" + reason(e) + ")"));
    } finally {
      close(ch);
    }
  }

  /** Closes the connection from another thread; the blocked {@link #exchange} then fails with {@code why}. */
  void abort(String why) {
    SocketChannel ch;
    synchronized (this) {
      if (abortReason != null) {
        return;
      }
      abortReason = why;
      ch = channel;
    }
    if (ch != null) {
      close(ch);
    }
  }

  /** A {@link Runnable} for {@link Watchdog}: aborts with {@code why}. A class, not a lambda (start-up). */
  Runnable aborter(String why) {
    return new Aborter(this, why);
  }

  private static final class Aborter implements Runnable {
    private final DaemonClient client;
    private final String why;

    Aborter(DaemonClient client, String why) {
      this.client = client;
      this.why = why;
    }

    @Override
    public void run() {
      client.abort(why);
    }
  }

  private Unreachable aborted(Unreachable e) {
    synchronized (this) {
      return abortReason != null ? new Unreachable(abortReason) : e;
    }
  }

  private static void write(SocketChannel ch, byte[] line) throws IOException {
    ByteBuffer body = ByteBuffer.wrap(line);
    while (body.hasRemaining()) {
      ch.write(body);
    }
    ByteBuffer end = ByteBuffer.wrap(new byte[] {NEWLINE});
    while (end.hasRemaining()) {
      ch.write(end);
    }
  }

  private String readLine(SocketChannel ch, int maxAnswerBytes) throws IOException, ProtocolException {
    ByteBuffer buf = ByteBuffer.allocate(8192);
    ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    while (true) {
      int n = ch.read(buf);
      if (n < 0) {
        throw new Unreachable(
            line.size() == 0
                ? "the daemon at " + socket + " closed the connection without answering"
                : "the daemon's answer ended before its end of line");
      }
      byte[] a = buf.array();
      int end = buf.position();
      for (int k = 0; k < end; k++) {
        if (a[k] == NEWLINE) {
          line.write(a, 0, k);
          return line.toString(StandardCharsets.UTF_8);
        }
      }
      line.write(a, 0, end);
      if (line.size() > maxAnswerBytes) {
        throw new ProtocolException(Protocol.ErrorCode.TOO_LARGE, "the daemon's answer is longer than " + maxAnswerBytes
            + " bytes, more than the client takes; narrow the question (--since, --limit)");
      }
      buf.clear();
    }
  }

  private static String reason(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static void close(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // closing only releases the descriptor; nothing to do about a failure
    }
  }
}
