package dev.loopwatch.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The daemon's logging, which logback sets up through its {@link Configurator} service (registered in
 * META-INF/services) instead of from a logback.xml: parsing the XML was half of logback's start-up (100
 * of 200 ms without the class-data archive, measured here), paid on every start of the daemon.
 *
 * <p>To the console only: under systemd, journald stores and rotates it. {@code LOOPWATCH_LOG_LEVEL}
 * (a system property or the environment) sets the level (default INFO); Chronicle and directory-watcher log at WARN and above. A
 * {@code -Dlogback.configurationFile=FILE} still wins: logback then reads that file instead.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
  /** Read as a system property first, then from the environment (as logback resolves variables). */
  static final String LEVEL_VARIABLE = "LOOPWATCH_LOG_LEVEL";

  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %msg%n%ex{short}";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("CONSOLE");
    console.setEncoder(encoder);
    console.start();
    // Chronicle logs file growth and housekeeping at INFO
    context.getLogger("net.openhft").setLevel(Level.WARN);
    context.getLogger("io.methvin").setLevel(Level.WARN);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    String named = System.getProperty(LEVEL_VARIABLE, System.getenv(LEVEL_VARIABLE));
    root.setLevel(level(named));
    root.addAppender(console);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** The level named by {@code value} (any case), INFO when it is unset or names none. */
  static Level level(String value) {
    return value == null || value.isBlank() ? Level.INFO : Level.toLevel(value.strip(), Level.INFO);
  }
}
