package dev.loopwatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConsoleLoggingTest {
  /** The service registration works: this JVM's logging was set up by ConsoleLogging, not by defaults. */
  @Test
  void logbackSetsUpTheDaemonsLoggingThroughTheService() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ConsoleAppender<?> console =
        assertInstanceOf(ConsoleAppender.class, context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE"));
    assertEquals(ConsoleLogging.PATTERN, ((PatternLayoutEncoder) console.getEncoder()).getPattern());
    assertEquals(Level.WARN, context.getLogger("net.openhft").getLevel());
    assertEquals(Level.WARN, context.getLogger("io.methvin").getLevel());
  }

  @Test
  void theLevelIsNamedInAnyCaseAndDefaultsToInfo() {
    assertEquals(Level.INFO, ConsoleLogging.level(null));
    assertEquals(Level.INFO, ConsoleLogging.level(" "));
    assertEquals(Level.DEBUG, ConsoleLogging.level("debug"));
    assertEquals(Level.WARN, ConsoleLogging.level(" WARN "));
    assertEquals(Level.INFO, ConsoleLogging.level("loud"));
  }

  @Test
  void aConfigurationFileGivenOnTheCommandLineWins() {
    String before = System.getProperty("logback.configurationFile");
    System.setProperty("logback.configurationFile", "/somewhere/logback.xml");
    try {
      LoggerContext fresh = new LoggerContext();
      ConsoleLogging logging = new ConsoleLogging();
      logging.setContext(fresh);
      assertEquals(ConsoleLogging.ExecutionStatus.INVOKE_NEXT_IF_ANY, logging.configure(fresh));
      assertEquals(null, fresh.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE"));
    } finally {
      if (before == null) {
        System.clearProperty("logback.configurationFile");
      } else {
        System.setProperty("logback.configurationFile", before);
      }
    }
  }
}
