import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The yardstick of client/bench/hook-benchmark.sh: a bare JVM that connects to the daemon's socket,
 * writes one ping line, reads one line and exits. DESIGN §15: the hook may take at most 1.5 times as
 * long. {@code --print} prints the answer and exits 1 when it is not ok (the script's ping check).
 *
 * <p>Usage: {@code java -cp DIR BareClient SOCKET [--print]}
 */
public final class BareClient {
  private BareClient() {}

  public static void main(String[] args) throws Exception {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(args[0]));
      ByteBuffer request =
          ByteBuffer.wrap("{\"v\":1,\"id\":\"1\",\"op\":\"ping\",\"args\":{}}\n".getBytes(StandardCharsets.UTF_8));
      while (request.hasRemaining()) {
        ch.write(request);
      }
      ByteBuffer buf = ByteBuffer.allocate(4096);
      StringBuilder line = new StringBuilder();
      read:
      while (ch.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          byte b = buf.get();
          if (b == '\n') {
            break read;
          }
          line.append((char) (b & 0xff));
        }
        buf.clear();
      }
      if (args.length > 1 && args[1].equals("--print")) {
        System.out.println(line);
        if (!ok(line)) {
          System.exit(1);
        }
      }
    }
  }

  /** Whether the answer says {@code "ok": true} (any spacing; no regex: this is the fast side). */
  private static boolean ok(CharSequence line) {
    String s = line.toString();
    int k = s.indexOf("\"ok\"");
    if (k < 0) {
      return false;
    }
    k += 4;
    while (k < s.length() && (s.charAt(k) == ' ' || s.charAt(k) == ':')) {
      k++;
    }
    return s.startsWith("true", k);
  }
}
