package dev.loopwatch.daemon.analysis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What makes two tool failures "the same" (DESIGN §8): the tool, the error's class with the details
 * that vary between occurrences folded away (numbers, paths, hashes, ids, quoted values), and the shape
 * of the input (which program a command ran, which kind of file was touched). The signature is a stable
 * hash of the three, so it survives restarts, rebuilds and machines.
 */
public record FailureSignature(String signature, String tool, String errorClass, String inputShape) {
  private static final Pattern UUID =
      Pattern.compile("\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b");
  private static final Pattern HASH = Pattern.compile("\\b[0-9a-f]{7,64}\\b");
  private static final Pattern PATH = Pattern.compile("(?:[a-zA-Z]:)?(?:~|\\.{1,2})?(?:[/\\\\][\\w.@+~-]+)+[/\\\\]?");
  private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"|`[^`]*`");
  private static final Pattern NUMBER = Pattern.compile("\\b\\d+(?:\\.\\d+)?\\b");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern TAGS = Pattern.compile("</?[a-z_]+>");
  private static final int MAX_CLASS = 160;

  /**
   * @param tool the tool's name
   * @param error the error text the tool returned
   * @param command the command, for shell tools (its program and subcommand are the input's shape)
   * @param filePath the file, for file tools (its extension is the input's shape)
   */
  public static FailureSignature of(String tool, String error, String command, String filePath) {
    String t = tool == null ? "unknown" : tool;
    String errorClass = errorClass(error);
    String shape = inputShape(command, filePath);
    return new FailureSignature(hash(t + "\u001f" + errorClass + "\u001f" + shape), t, errorClass, shape);
  }

  /** The first informative line of the error, with what varies between occurrences folded. */
  static String errorClass(String error) {
    if (error == null || error.isBlank()) {
      return "(no message)";
    }
    String text = TAGS.matcher(error).replaceAll("");
    String exit = null;
    String line = null;
    for (String l : text.split("\\R")) {
      String s = l.strip();
      if (s.isEmpty()) {
        continue;
      }
      if (exit == null && s.matches("(?i)exit code \\d+")) {
        exit = s.toLowerCase(Locale.ROOT);
        continue;
      }
      line = s;
      break;
    }
    String folded = line == null ? "" : fold(line);
    String out = exit == null ? folded : folded.isEmpty() ? exit : exit + ": " + folded;
    return out.length() > MAX_CLASS ? out.substring(0, MAX_CLASS) : out;
  }

  static String fold(String s) {
    String out = s.toLowerCase(Locale.ROOT);
    out = UUID.matcher(out).replaceAll("<id>");
    out = QUOTED.matcher(out).replaceAll("<str>");
    out = PATH.matcher(out).replaceAll("<path>");
    out = HASH.matcher(out).replaceAll(m -> m.group().chars().anyMatch(Character::isDigit) ? "<hash>" : m.group());
    out = NUMBER.matcher(out).replaceAll("#");
    return SPACES.matcher(out).replaceAll(" ").strip();
  }

  /** {@code cmd:git push} for commands (program and first word that is not an option), {@code file:.ts}. */
  static String inputShape(String command, String filePath) {
    if (command != null && !command.isBlank()) {
      String[] words = SPACES.split(command.strip());
      StringBuilder sb = new StringBuilder("cmd:");
      int taken = 0;
      for (String w : words) {
        if (w.contains("=") && taken == 0) {
          continue; // FOO=bar env assignments before the program
        }
        if (taken == 1 && w.startsWith("-")) {
          continue;
        }
        String word = w.contains("/") ? w.substring(w.lastIndexOf('/') + 1) : w;
        if (taken == 1 && !word.matches("[a-z][a-z0-9:_-]*")) {
          break; // an argument, not a subcommand
        }
        sb.append(taken == 0 ? "" : " ").append(word);
        if (++taken == 2) {
          break;
        }
      }
      return sb.toString();
    }
    if (filePath != null && !filePath.isBlank()) {
      String name = filePath.substring(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
      int dot = name.lastIndexOf('.');
      return "file:" + (dot > 0 ? name.substring(dot).toLowerCase(Locale.ROOT) : name.isEmpty() ? "" : "(none)");
    }
    return "";
  }

  private static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(16);
      for (int i = 0; i < 8; i++) {
        sb.append(String.format("%02x", d[i]));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
