package dev.loopwatch.daemon.pricing;

import dev.loopwatch.daemon.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The price table in use: the built-in one merged with the user's overrides. A bad override file is
 * reported with the key of every problem and the last good table stays in use (at start: the built-in
 * table alone).
 */
public final class PriceBook {
  private static final Logger log = LoggerFactory.getLogger(PriceBook.class);

  private final Path overrides;
  private final AtomicReference<PriceTable> current = new AtomicReference<>();

  /** @param overrides the user's price file ({@code $XDG_CONFIG_HOME/loopwatch/pricing.yaml}); optional */
  public PriceBook(Path overrides) {
    this.overrides = overrides;
  }

  public Path overrides() {
    return overrides;
  }

  /** Loads the built-in table and the overrides; falls back to the built-in table on a bad override. */
  public void load() throws ConfigException {
    try {
      current.set(PriceTable.load(null, overrides));
    } catch (ConfigException e) {
      PriceTable builtin = PriceTable.load(null, null); // the packaged table must load: that is a build error
      log.warn("pricing - {}; using the built-in prices", e.getMessage());
      current.compareAndSet(null, builtin);
    }
  }

  /** Loads the overrides again (for {@code ConfigWatcher}); throws on a bad file, changing nothing. */
  public PriceTable reload(Path file) throws ConfigException {
    return PriceTable.load(null, file);
  }

  public void use(PriceTable table) {
    current.set(table);
  }

  /** The table in use; {@link #load()} must have succeeded. */
  public PriceTable table() {
    PriceTable t = current.get();
    if (t == null) {
      throw new IllegalStateException("prices are not loaded");
    }
    return t;
  }
}
