package dev.loopwatch.daemon.pricing;

import dev.loopwatch.daemon.config.ConfigException;
import dev.loopwatch.daemon.config.Environment;
import dev.loopwatch.daemon.pricing.PriceFileReader.PriceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model prices in force: the built-in {@code pricing.yaml} (packaged from {@code config/} as a
 * classpath resource) merged with the user's override file, whose entries replace the built-in entry
 * with the same id or add models. Immutable; a price edit means loading a new table (history is
 * priced at query time, so it is re-priced too).
 */
public final class PriceTable {
  /** The classpath resource holding the built-in table. */
  public static final String RESOURCE = "pricing.yaml";

  private final int version;
  private final LocalDate updated;
  private final Map<String, ModelPrice> models;
  private final ModelLookup lookup;

  private PriceTable(int version, LocalDate updated, Map<String, ModelPrice> models, ModelLookup lookup) {
    this.version = version;
    this.updated = updated;
    this.models = models;
    this.lookup = lookup;
  }

  /** {@code $XDG_CONFIG_HOME/loopwatch/pricing.yaml} (or {@code ~/.config/...}). */
  public static Path defaultOverrideFile(Environment env) {
    return env.configHome().resolve("loopwatch").resolve("pricing.yaml");
  }

  /**
   * Loads the built-in table and merges the user's overrides.
   *
   * @param builtinOrNull the built-in table's file, or null for the classpath resource {@value #RESOURCE}
   * @param userOverrideOrNull the user's file, or null for none; a file that does not exist counts as
   *     none (the default location is optional)
   * @throws ConfigException naming the file and the key of every problem; a caller that wants to keep
   *     running on a bad override can fall back to {@code load(builtin, null)}
   */
  public static PriceTable load(Path builtinOrNull, Path userOverrideOrNull) throws ConfigException {
    return load(builtinOrNull, userOverrideOrNull, PriceTable.class.getClassLoader());
  }

  static PriceTable load(Path builtinOrNull, Path userOverrideOrNull, ClassLoader resources) throws ConfigException {
    PriceFile builtin =
        builtinOrNull == null
            ? PriceFileReader.read(resource(resources), "classpath:" + RESOURCE, true)
            : PriceFileReader.read(file(builtinOrNull, true), builtinOrNull.toString(), true);
    String userText = userOverrideOrNull == null ? null : file(userOverrideOrNull, false);
    PriceFile user = userText == null ? null : PriceFileReader.read(userText, userOverrideOrNull.toString(), false);
    return merge(builtin, user);
  }

  /** Parses tables from text (tests, and callers that already hold the files). */
  static PriceTable fromYaml(String builtinYaml, String userYamlOrNull) throws ConfigException {
    PriceFile builtin = PriceFileReader.read(builtinYaml, "(built-in)", true);
    PriceFile user = userYamlOrNull == null ? null : PriceFileReader.read(userYamlOrNull, "(override)", false);
    return merge(builtin, user);
  }

  private static PriceTable merge(PriceFile builtin, PriceFile user) throws ConfigException {
    Map<String, ModelPrice> names = names(builtin.models(), builtin);
    Map<String, ModelPrice> models = new LinkedHashMap<>(builtin.models());
    if (user != null) {
      for (ModelPrice override : user.models().values()) {
        ModelPrice old = models.get(override.id());
        ModelPrice merged =
            old != null && !user.aliasesGiven().contains(override.id()) ? withAliases(override, old.aliases()) : override;
        // The override's names are its own now: a built-in model loses an alias the user gave to another.
        List<String> taken = new ArrayList<>(merged.aliases());
        taken.add(merged.id());
        models.replaceAll(
            (id, p) ->
                !user.models().containsKey(id) && p.aliases().stream().anyMatch(taken::contains)
                    ? withAliases(p, p.aliases().stream().filter(a -> !taken.contains(a)).toList())
                    : p);
        models.put(merged.id(), merged);
      }
      names = names(models, user);
    }
    return new PriceTable(builtin.version(), builtin.updated(), Collections.unmodifiableMap(models), new ModelLookup(names));
  }

  /** Every id and alias → its model; an alias that is another model's id or alias is a problem. */
  private static Map<String, ModelPrice> names(Map<String, ModelPrice> models, PriceFile blame) throws ConfigException {
    Map<String, ModelPrice> names = new HashMap<>(models);
    List<String> problems = new ArrayList<>();
    for (ModelPrice p : models.values()) {
      for (int i = 0; i < p.aliases().size(); i++) {
        String alias = p.aliases().get(i);
        ModelPrice other = names.putIfAbsent(alias, p);
        if (other != null && other != p) {
          String key = "models." + p.id() + ".aliases[" + i + "]";
          problems.add(
              models.containsKey(alias)
                  ? key + ": '" + alias + "' is a model id of its own; to re-price it, give it an entry"
                  : key + ": '" + alias + "' is already an alias of " + other.id());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(blame.source(), problems);
    }
    return names;
  }

  private static ModelPrice withAliases(ModelPrice p, List<String> aliases) {
    return new ModelPrice(p.id(), p.name(), p.base(), p.tier(), p.fastMultiplier(), p.webSearchPer1k(), aliases);
  }

  private static String resource(ClassLoader loader) throws ConfigException {
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new ConfigException(
            "classpath:" + RESOURCE, List.of("not on the classpath: the daemon jar must package config/pricing.yaml"));
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("classpath:" + RESOURCE, List.of("cannot read: " + e.getMessage()));
    }
  }

  private static String file(Path path, boolean required) throws ConfigException {
    try {
      return Files.readString(path);
    } catch (NoSuchFileException e) {
      if (required) {
        throw new ConfigException(path.toString(), List.of("file does not exist"));
      }
      return null;
    } catch (IOException e) {
      throw new ConfigException(path.toString(), List.of("cannot read: " + e.getMessage()));
    }
  }

  /** The built-in table's {@code version}. */
  public int version() {
    return version;
  }

  /** The built-in table's {@code updated} date. */
  public LocalDate updated() {
    return updated;
  }

  /** Every entry (after merging), by id. */
  public Collection<ModelPrice> models() {
    return models.values();
  }

  /**
   * The price of {@code model} as a log spells it (see {@link ModelLookup} for the rules); empty when
   * unknown, which callers must report rather than count as $0. {@code <synthetic>} is a free price.
   */
  public Optional<ModelPrice> lookup(String model) {
    return lookup.find(model);
  }

  /**
   * The split the store must use for each request of {@code model} before summing: the model's tier's
   * ({@code claude-haiku-5-5}: by prompt at 100,000) or {@link TierSplit#DEFAULT} (also for unknown
   * models, so their sums are right if a price for them is added later with no other tier).
   */
  public TierSplit splitFor(String model) {
    return lookup(model).map(ModelPrice::split).orElse(TierSplit.DEFAULT);
  }
}
