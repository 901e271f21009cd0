package dev.loopwatch.daemon.server;

import dev.loopwatch.protocol.Protocol.ErrorCode;
import dev.loopwatch.protocol.SocketPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's Unix socket (DESIGN §13): NDJSON requests, one answer line each, several per connection
 * if the client likes. Private by construction — the directory is 0700, the socket 0600, and every peer's
 * credentials are checked against the daemon's user. Bounded in every direction: request size (longer →
 * TOO_LARGE and the connection closes, as the stream cannot be resynchronised), time (a client that sends
 * nothing for {@code readTimeout}, takes longer than that to send one line, or stops reading its answers
 * for that long, is disconnected: JDK 17 has no socket timeout for Unix channels, so a reaper thread
 * closes idle channels), and threads (a bounded pool; connections beyond its queue get UNAVAILABLE at
 * once).
 *
 * <p>Threads: {@code server-accept}, {@code server-conn-N}, {@code server-reaper}.
 */
public final class SocketServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SocketServer.class);
  private static final int MAX_THREADS = 64;
  private static final int MAX_QUEUED = 1024;
  private static final int WRITE_CHUNK = 64 * 1024;

  /** Settings the client reads from next to the socket (its deadlines). */
  public record ClientSettings(long sessionStartDeadlineMs, long deadlineMs, int maxRequestBytes) {}

  private final Path path;
  private final int maxRequestBytes;
  private final Duration readTimeout;
  private final RequestDispatcher dispatcher;
  private volatile ClientSettings clientSettings;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  /** The daemon's own user, as the kernel names it: the owner of the socket file it bound. */
  private volatile UserPrincipal owner;
  private ServerSocketChannel server;
  private ThreadPoolExecutor pool;
  private ScheduledExecutorService reaper;
  private Thread acceptor;

  public SocketServer(
      Path path, int maxRequestBytes, Duration readTimeout, RequestDispatcher dispatcher, ClientSettings clientSettings) {
    this.path = path;
    this.maxRequestBytes = maxRequestBytes;
    this.readTimeout = readTimeout;
    this.dispatcher = dispatcher;
    this.clientSettings = clientSettings;
  }

  public Path path() {
    return path;
  }

  public long requests() {
    return requests.get();
  }

  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    try {
      Path dir = path.getParent();
      privateDirectory(dir);
      removeStale();
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(path));
      // Not System.getProperty("user.name"): for a uid without a passwd entry that is "?", while peer
      // credentials name the same uid by its number, and the daemon would refuse its own user.
      owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
      // bind creates the file as 0777 & ~umask; meanwhile the 0700 directory (when it is ours) keeps
      // others out, and the peer check refuses them in any case
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
      writeClientSettings(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + path, e);
    }
    AtomicInteger n = new AtomicInteger();
    // Core size = maximum: a ThreadPoolExecutor only grows past its core size once the queue is full,
    // so a small core would serve that many connections and queue every other behind idle clients.
    pool =
        new ThreadPoolExecutor(
            MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_QUEUED),
            r -> {
              Thread t = new Thread(r, "server-conn-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    reaper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "server-reaper");
              t.setDaemon(true);
              return t;
            });
    long tick = Math.max(50, readTimeout.toMillis() / 4);
    reaper.scheduleWithFixedDelay(this::closeIdle, tick, tick, TimeUnit.MILLISECONDS);
    acceptor = new Thread(this::acceptLoop, "server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Makes the socket's directory 0700 when it is the daemon's own: one it creates, or its
   * {@code loopwatch} directory (under $XDG_RUNTIME_DIR or the state dir) from an earlier run. A
   * directory the user pointed {@code socket.path} into ({@code /tmp}, their home) keeps its mode: the
   * socket itself is 0600 and other users are refused by their credentials anyway.
   */
  private void privateDirectory(Path dir) throws IOException {
    var mode = PosixFilePermissions.fromString("rwx------");
    boolean existed = Files.isDirectory(dir);
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(mode));
    if (!existed || dir.getFileName().toString().equals("loopwatch")) {
      Files.setPosixFilePermissions(dir, mode);
    } else if (!Files.getPosixFilePermissions(dir).equals(mode)) {
      log.warn(
          "server - the socket's directory {} is {}, not private; the socket is 0600 and other users are refused",
          dir, PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }
  }

  /**
   * Fails when a daemon already answers on this socket. The composition root calls it before it opens
   * anything else, so that a second daemon says why it cannot run instead of failing on a locked store
   * (or starting a second ingest into the same state) first.
   */
  public void refuseIfRunning() {
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && live()) {
      throw new IllegalStateException("another loopwatchd is already listening on " + path);
    }
  }

  private boolean live() {
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      return true;
    } catch (IOException refused) {
      return false; // "Connection refused": nobody listens on the file any more
    }
  }

  /** A socket file left by a daemon that died is replaced; a live daemon on it is an error. */
  private void removeStale() throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    refuseIfRunning();
    log.info("server - removing stale socket {}", path);
    Files.delete(path);
  }

  /**
   * New hook deadlines from a reloaded configuration: rewrites {@code client.properties}, which every
   * client reads afresh. The request size limit is the one this server enforces, whatever the settings
   * say (it changes at the next start).
   */
  public synchronized void clientSettings(ClientSettings settings) {
    clientSettings = new ClientSettings(settings.sessionStartDeadlineMs(), settings.deadlineMs(), maxRequestBytes);
    if (!started.get() || closed.get()) {
      return;
    }
    try {
      writeClientSettings(path.getParent());
    } catch (IOException e) {
      log.warn("server - cannot rewrite {}: {}", path.resolveSibling(SocketPaths.CLIENT_SETTINGS), e.toString());
    }
  }

  private synchronized void writeClientSettings(Path dir) throws IOException {
    ClientSettings clientSettings = this.clientSettings;
    Properties p = new Properties();
    p.setProperty("hook.sessionStartDeadlineMs", Long.toString(clientSettings.sessionStartDeadlineMs()));
    p.setProperty("hook.deadlineMs", Long.toString(clientSettings.deadlineMs()));
    p.setProperty("socket.maxRequestBytes", Integer.toString(clientSettings.maxRequestBytes()));
    Path tmp = dir.resolve(SocketPaths.CLIENT_SETTINGS + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      p.store(out, "written by loopwatchd for the loopwatch client; do not edit (set hook.* in loopwatch.yaml)");
    }
    Files.move(tmp, dir.resolve(SocketPaths.CLIENT_SETTINGS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void acceptLoop() {
    while (!closed.get()) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (AsynchronousCloseException e) {
        return;
      } catch (IOException e) {
        if (!closed.get()) {
          log.warn("server - accept failed: {}", e.toString());
        }
        continue;
      }
      Connection c = new Connection(ch);
      try {
        pool.execute(c);
      } catch (RejectedExecutionException busy) {
        refused.incrementAndGet();
        c.answerAndClose(RequestDispatcher.error(null, ErrorCode.UNAVAILABLE, "too many connections; try again"));
      }
    }
  }

  private void closeIdle() {
    long now = System.nanoTime();
    long limit = readTimeout.toNanos();
    for (Connection c : connections) {
      if (c.waiting && now - c.waitingSince > limit) {
        c.close(); // unblocks its read or write; its thread then ends
      }
    }
  }

  /** One client connection, served on a pool thread. */
  private final class Connection implements Runnable {
    private final SocketChannel ch;
    /**
     * When the current wait on the client began. Reading: the start of the request line being read, or,
     * between requests, the end of the last answer; counting from the line's start also cuts off a
     * client that drips a line byte by byte (each read would otherwise restart the clock). Writing: the
     * last chunk of the answer the client took, so a client that stops reading its answers is cut off
     * too (a blocked write would otherwise hold the thread until the client goes away).
     */
    private volatile long waitingSince = System.nanoTime();
    /** True while blocked reading from or writing to the client. */
    private volatile boolean waiting;

    Connection(SocketChannel ch) {
      this.ch = ch;
    }

    @Override
    public void run() {
      connections.add(this);
      try (ch) {
        if (!samePeer()) {
          write(RequestDispatcher.error(null, ErrorCode.FORBIDDEN, "this daemon serves only its own user"));
          return;
        }
        ByteBuffer buf = ByteBuffer.allocate(8192);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long lineStarted = 0;
        while (!closed.get()) {
          waitingSince = line.size() > 0 ? lineStarted : System.nanoTime();
          waiting = true;
          int n = ch.read(buf);
          waiting = false;
          if (n < 0) {
            return;
          }
          buf.flip();
          while (buf.hasRemaining()) {
            byte b = buf.get();
            if (b != '\n') {
              if (line.size() >= maxRequestBytes) {
                write(
                    RequestDispatcher.error(
                        null, ErrorCode.TOO_LARGE, "request longer than " + maxRequestBytes + " bytes (socket.maxRequestBytes)"));
                return;
              }
              if (line.size() == 0) {
                lineStarted = System.nanoTime();
              }
              line.write(b);
              continue;
            }
            String request = line.toString(StandardCharsets.UTF_8).strip();
            line.reset();
            if (request.isEmpty()) {
              continue;
            }
            requests.incrementAndGet();
            write(dispatcher.handle(request));
          }
          buf.clear();
        }
      } catch (IOException e) {
        // the client went away, or the reaper closed an idle connection
      } finally {
        connections.remove(this);
      }
    }

    private boolean samePeer() throws IOException {
      UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      boolean same = peer.user().equals(owner);
      if (!same) {
        refused.incrementAndGet();
        log.warn("server - refused a connection from user {}", peer.user().getName());
      }
      return same;
    }

    private void write(String response) throws IOException {
      ByteBuffer out = ByteBuffer.wrap((response + "\n").getBytes(StandardCharsets.UTF_8));
      try {
        while (out.hasRemaining()) {
          // in chunks, so that a slow reader that keeps reading restarts the clock as it goes
          ByteBuffer chunk = out.slice().limit(Math.min(out.remaining(), WRITE_CHUNK));
          waitingSince = System.nanoTime();
          waiting = true;
          while (chunk.hasRemaining()) {
            ch.write(chunk);
          }
          out.position(out.position() + chunk.position());
        }
      } finally {
        waiting = false;
      }
    }

    void answerAndClose(String response) {
      try (ch) {
        write(response);
      } catch (IOException e) {
        // the client is gone already
      }
    }

    void close() {
      try {
        ch.close();
      } catch (IOException e) {
        // closing is all we wanted
      }
    }
  }

  @Override
  public void close() {
    if (!started.get() || !closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.close();
    } catch (IOException e) {
      log.debug("server - close: {}", e.toString());
    }
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connections.forEach(Connection::close);
    reaper.shutdownNow();
    pool.shutdown();
    try {
      if (!pool.awaitTermination(3, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
    }
    try {
      Files.deleteIfExists(path);
      synchronized (this) { // not while a reload rewrites it
        Files.deleteIfExists(path.resolveSibling(SocketPaths.CLIENT_SETTINGS));
      }
    } catch (IOException e) {
      log.warn("server - cannot remove {}: {}", path, e.toString());
    }
  }

  public long refused() {
    return refused.get();
  }
}
