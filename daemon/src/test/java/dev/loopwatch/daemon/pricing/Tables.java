package dev.loopwatch.daemon.pricing;

import dev.loopwatch.daemon.config.ConfigException;
import java.nio.file.Path;

/** The shipped table, read from the repository (surefire sets loopwatch.repo) so no POM change is needed. */
final class Tables {
  private static PriceTable shipped;

  private Tables() {}

  static Path repo() {
    return Path.of(System.getProperty("loopwatch.repo", "..")).toAbsolutePath().normalize();
  }

  static Path shippedFile() {
    return repo().resolve("config").resolve("pricing.yaml");
  }

  static synchronized PriceTable shipped() {
    if (shipped == null) {
      try {
        shipped = PriceTable.load(shippedFile(), null);
      } catch (ConfigException e) {
        throw new AssertionError(e.getMessage(), e);
      }
    }
    return shipped;
  }
}
