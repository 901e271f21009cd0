package dev.loopwatch.daemon.analysis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Matcher;
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
  /**
   * Absolute ({@code /a/b}, {@code C:\a}), home ({@code ~/a}) and dot-relative ({@code ./a}) paths, not glued
   * to a word ({@code foo/1}, {@code and/or}); a drive letter only starts a word ({@code failed:\n} holds none).
   */
  private static final Pattern PATH =
      Pattern.compile("(?<![\\w@+-])(?:\\b[a-zA-Z]:(?=[/\\\\])|~|\\.{1,2})?(?:[/\\\\][\\w.@+~-]+)+[/\\\\]?");
  /** A relative path candidate ({@code lib/a.ex}); see {@link #relativePath}. */
  private static final Pattern RELATIVE = Pattern.compile("(?<![\\w.~@+/\\\\-])[\\w.@+-]+(?:/[\\w.@+~-]+)+/?");
  private static final Pattern EXTENSION = Pattern.compile(".*\\.[A-Za-z]\\w*");
  private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"|`[^`]*`");
  /** A number, with its unit if it has one ({@code 12.5s}, {@code 500ms} fold like {@code 8080}). */
  private static final Pattern NUMBER = Pattern.compile("\\b\\d+(?:\\.\\d+)?(?:[a-z]{1,3}\\b)?");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern TAGS = Pattern.compile("</?[a-z_]+>");
  private static final Pattern EXIT = Pattern.compile("(?i)exit code -?\\d+");
  /** An exception's line ({@code ModuleNotFoundError: No module named 'x'}, {@code java.io.IOException}). */
  private static final Pattern EXCEPTION =
      Pattern.compile("(?:[A-Za-z_$][\\w$]*\\.)*[A-Z][\\w$]*(?:Error|Exception)(?::.*)?");
  /** A warning's line ({@code x.py:260: FutureWarning: ...}, {@code npm WARN ...}, {@code warning: ...}). */
  private static final Pattern WARNING = Pattern.compile("(?i).*(?:\\bwarn(?:ing)?\\b|[a-z]warning\\b).*");
  /** A Windows path with a backslash, in which {@code \n} may start a directory name, not an escaped newline. */
  private static final Pattern WINDOWS_PATH = Pattern.compile("\\b[a-zA-Z]:\\\\");
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

  /**
   * The error's informative line, with what varies between occurrences folded: an exception's line when
   * there is one (a Python traceback ends with it, after a warning and the stack), else the first line
   * that is not a warning. An {@code Exit code N} line is kept, number included, in front of it. Output
   * that reached the transcript JSON-escaped ({@code failed:\n\n[FORMAT]}, as some hooks print it) is split at
   * its escaped line breaks too.
   */
  static String errorClass(String error) {
    if (error == null || error.isBlank()) {
      return "(no message)";
    }
    String text = TAGS.matcher(error).replaceAll("");
    if (text.contains("\\n") && !WINDOWS_PATH.matcher(text).find()) {
      text = text.replace("\\n", "\n");
    }
    String exit = null;
    String exception = null;
    String first = null;
    String firstNotWarning = null;
    for (String l : text.split("\\R")) {
      String s = l.strip();
      if (s.isEmpty()) {
        continue;
      }
      if (exit == null && first == null && EXIT.matcher(s).matches()) {
        exit = s.toLowerCase(Locale.ROOT);
        continue;
      }
      if (first == null) {
        first = s;
      }
      if (firstNotWarning == null && !WARNING.matcher(s).matches()) {
        firstNotWarning = s;
      }
      if (EXCEPTION.matcher(s).matches()) {
        exception = s;
        break;
      }
    }
    String line = exception != null ? exception : firstNotWarning != null ? firstNotWarning : first;
    String folded = line == null ? "" : fold(line);
    String out = exit == null ? folded : folded.isEmpty() ? exit : exit + ": " + folded;
    return out.length() > MAX_CLASS ? out.substring(0, MAX_CLASS) : out;
  }

  static String fold(String s) {
    String out = s.toLowerCase(Locale.ROOT);
    out = UUID.matcher(out).replaceAll("<id>");
    out = QUOTED.matcher(out).replaceAll("<str>");
    out = RELATIVE.matcher(out).replaceAll(m -> relativePath(m.group()) ? "<path>" : Matcher.quoteReplacement(m.group()));
    out = PATH.matcher(out).replaceAll("<path>");
    out = HASH.matcher(out).replaceAll(m -> m.group().chars().anyMatch(Character::isDigit) ? "<hash>" : m.group());
    out = NUMBER.matcher(out).replaceAll("#");
    return SPACES.matcher(out).replaceAll(" ").strip();
  }

  /**
   * Whether {@code lib/a.ex}-like text is a path: two slashes at least, or a last part with an extension
   * ({@code and/or}, {@code foo/1} and {@code TCP/IP} are not).
   */
  private static boolean relativePath(String s) {
    String trimmed = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    return trimmed.chars().filter(c -> c == '/').count() >= 2
        || EXTENSION.matcher(trimmed.substring(trimmed.lastIndexOf('/') + 1)).matches();
  }

  /** Setup steps chained before the command that matters: {@code cd dir && make}, {@code source venv && pytest}. */
  private static final java.util.Set<String> SETUP = java.util.Set.of("cd", "pushd", "source", ".", "export");

  /** Programs that run another program: the shape is the program they run. */
  private static final java.util.Set<String> WRAPPERS =
      java.util.Set.of("sudo", "env", "time", "timeout", "nice", "nohup", "exec", "command");

  private static final Pattern SUBCOMMAND = Pattern.compile("[a-z][a-z0-9:_-]*");
  private static final Pattern WRAPPER_ARG = Pattern.compile("-.*|\\d+(?:\\.\\d+)?[smhd]?|\\w+=.*");

  /**
   * {@code cmd:git push} for commands: the program (without its directory, after setup steps like
   * {@code cd dir &&}, environment assignments and wrappers like {@code sudo} or {@code timeout 30}) and
   * its first word that is neither an option nor a path; {@code file:.ts} for files (the extension).
   */
  static String inputShape(String command, String filePath) {
    if (command != null && !command.isBlank()) {
      String[] words = SPACES.split(command.strip());
      int start = 0;
      while (start < words.length && SETUP.contains(words[start])) {
        int next = -1;
        for (int j = start + 1; j < words.length && next < 0; j++) {
          if (words[j].equals("&&") || words[j].equals(";") || words[j].endsWith(";")) {
            next = j + 1;
          }
        }
        if (next < 0 || next >= words.length) {
          break;
        }
        start = next;
      }
      StringBuilder sb = new StringBuilder("cmd:");
      int taken = 0;
      boolean wrapped = false;
      for (int i = start; i < words.length; i++) {
        String w = words[i];
        if (w.equals("\\")) {
          continue; // a line continuation
        }
        if (taken == 0) {
          if (w.contains("=") || (wrapped && WRAPPER_ARG.matcher(w).matches())) {
            continue; // FOO=bar env assignments, a wrapper's options and duration
          }
          String program = w.contains("/") ? w.substring(w.lastIndexOf('/') + 1) : w;
          if (WRAPPERS.contains(program) && i + 1 < words.length) {
            wrapped = true;
            continue;
          }
          sb.append(program);
          taken++;
          continue;
        }
        if (w.startsWith("-") || w.contains("/")) {
          continue; // options, and paths (arguments or option values: git -C /repo status)
        }
        if (SUBCOMMAND.matcher(w).matches()) {
          sb.append(' ').append(w);
        }
        break; // the subcommand, or an argument
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
