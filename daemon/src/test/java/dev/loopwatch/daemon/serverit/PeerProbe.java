package dev.loopwatch.daemon.serverit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code PeerProbe SOCKET}: connects, sends a ping and prints one line: {@code ANSWER <line>},
 * {@code CONNECT-FAILED <exception>} or {@code READ-FAILED <exception>}. JDK only, one class: the
 * security test copies it where another user can read it and runs it as that user.
 */
public final class PeerProbe {
  private PeerProbe() {}

  public static void main(String[] args) {
    Thread watchdog =
        new Thread(() -> {
          try {
            Thread.sleep(15_000);
          } catch (InterruptedException e) {
            return;
          }
          System.out.println("TIMEOUT no answer within 15 s");
          Runtime.getRuntime().halt(4);
        });
    watchdog.setDaemon(true);
    watchdog.start();
    SocketChannel ch;
    try {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
    } catch (IOException e) {
      System.out.println("CONNECT-FAILED " + e);
      System.exit(3);
      return;
    }
    try (ch) {
      try {
        ch.write(ByteBuffer.wrap("{\"v\":1,\"id\":\"probe\",\"op\":\"ping\"}\n".getBytes(StandardCharsets.UTF_8)));
      } catch (IOException closedAlready) {
        // a refusing daemon may have answered and closed before the request went out: read its answer
      }
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(4096);
      while (ch.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          byte b = buf.get();
          if (b == '\n') {
            System.out.println("ANSWER " + line.toString(StandardCharsets.UTF_8));
            System.exit(0);
          }
          line.write(b);
        }
        buf.clear();
      }
      System.out.println("CLOSED " + line.toString(StandardCharsets.UTF_8));
      System.exit(5);
    } catch (IOException e) {
      System.out.println("READ-FAILED " + e);
      System.exit(6);
    }
  }
}
