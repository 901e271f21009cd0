package dev.loopwatch.daemon;

import dev.loopwatch.daemon.config.ConfigException;
import dev.loopwatch.daemon.config.ConfigLoader;
import dev.loopwatch.daemon.config.Environment;
import dev.loopwatch.daemon.config.LoopwatchConfig;
import dev.loopwatch.daemon.pricing.PriceTable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code loopwatchd [--config FILE]}: loads the configuration, starts the daemon in the foreground and
 * stops it cleanly on SIGTERM/SIGINT (the JVM then exits with 143/130).
 */
public final class DaemonMain {
  private static final String USAGE =
      """
      usage: loopwatchd [--config FILE]

      Runs the Loopwatch daemon in the foreground.
        --config FILE   configuration file (default: $XDG_CONFIG_HOME/loopwatch/loopwatch.yaml,
                        optional; every key is documented in config/loopwatch.yaml)
        --cds-warmup    run once on a tiny sample and exit (with -XX:ArchiveClassesAtExit, makes the
                        class-data archive the launcher uses to start faster)
        --help          this text
      """;

  private DaemonMain() {}

  public static void main(String[] args) throws InterruptedException {
    Environment env = Environment.fromSystem();
    Path configFile = env.defaultConfigFile();
    boolean explicit = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (i + 1 >= args.length) {
            usageError("--config needs a file");
          }
          configFile = Path.of(args[++i]).toAbsolutePath();
          explicit = true;
        }
        case "--help", "-h" -> {
          System.out.print(USAGE);
          return;
        }
        case "--cds-warmup" -> {
          try {
            CdsWarmup.run();
          } catch (Exception e) {
            System.err.println("loopwatchd: warm-up failed: " + e);
            System.exit(1);
          }
          return;
        }
        default -> usageError("unknown argument: " + args[i]);
      }
    }
    Logger log = LoggerFactory.getLogger(DaemonMain.class);
    ConfigLoader loader = new ConfigLoader(env);
    LoopwatchConfig config;
    try {
      config = loader.load(configFile, explicit);
    } catch (ConfigException e) {
      System.err.println("loopwatchd: " + e.getMessage());
      System.exit(2);
      return;
    }
    Daemon daemon =
        new Daemon(
            config, loader, configFile, PriceTable.defaultOverrideFile(env), machineName(), Clock.systemDefaultZone());
    Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "shutdown"));
    try {
      daemon.start();
    } catch (RuntimeException e) {
      log.error("loopwatchd could not start", e);
      daemon.close();
      System.exit(1);
    }
    daemon.awaitStopped();
  }

  private static void usageError(String message) {
    System.err.println("loopwatchd: " + message);
    System.err.print(USAGE);
    System.exit(2);
  }

  /** The host name, without a DNS lookup where the kernel can tell. */
  static String machineName() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException e) {
      // not Linux: ask the resolver
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
