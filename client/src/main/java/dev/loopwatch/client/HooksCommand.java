package dev.loopwatch.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * {@code install-hooks} and {@code uninstall-hooks [--project DIR]}: loopwatch's entries in
 * {@code $CLAUDE_CONFIG_DIR/settings.json}, {@code ~/.claude/settings.json}, or with {@code --project}
 * {@code DIR/.claude/settings.json}. The hook command is the launcher that runs this command
 * ({@code $LOOPWATCH_LAUNCHER}, exported by {@code client/loopwatch}).
 */
final class HooksCommand {
  static final String LAUNCHER_ENV = "LOOPWATCH_LAUNCHER";

  private final Invocation inv;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  HooksCommand(Invocation inv, Map<String, String> env, PrintStream out, PrintStream err) {
    this.inv = inv;
    this.env = env;
    this.out = out;
    this.err = err;
  }

  int run() {
    boolean install = inv.command().equals("install-hooks");
    String project = inv.flag("project");
    if (project != null && !Files.isDirectory(Path.of(project))) {
      return fail(Exit.USAGE, inv.command() + ": --project " + project + " is not a directory");
    }
    SettingsFile file = new SettingsFile(settingsPath(project, env));
    try {
      return install ? install(file) : uninstall(file);
    } catch (SettingsFile.Refused e) {
      return fail(Exit.ERROR, e.getMessage() + "; nothing was changed");
    } catch (IOException e) {
      return fail(Exit.ERROR, "cannot update " + file.path() + ": " + e);
    }
  }

  private int install(SettingsFile file) throws SettingsFile.Refused, IOException {
    String launcher = env.get(LAUNCHER_ENV);
    if (launcher == null || launcher.isBlank() || !Path.of(launcher).isAbsolute()) {
      return fail(Exit.USAGE, "install-hooks: run it through the loopwatch launcher (client/loopwatch, or the installed"
          + " loopwatch): $" + LAUNCHER_ENV + " must name it by its absolute path");
    }
    String command = HookEntries.command(launcher);
    Map<String, Object> settings = file.read();
    try {
      if (!HookEntries.install(settings, command)) {
        Console.print(out, "loopwatch hooks are already in " + file.path() + "; nothing changed\n");
        return Exit.OK;
      }
    } catch (HookEntries.BadShape e) {
      throw new SettingsFile.Refused(file.path() + ": " + e.getMessage());
    }
    Path backup = file.write(settings, LocalDateTime.now());
    Console.print(out, "installed loopwatch hooks in " + file.path() + backupNote(backup) + "\n"
        + "  command: " + command + "\n"
        + "  events:  SessionStart (synchronous: its output becomes the session's context);\n"
        + "           SessionEnd, Stop, SubagentStop, UserPromptSubmit, PostToolUse, PostToolUseFailure (async)\n");
    return Exit.OK;
  }

  private int uninstall(SettingsFile file) throws SettingsFile.Refused, IOException {
    if (!file.exists()) {
      Console.print(out, "no " + file.path() + "; nothing to remove\n");
      return Exit.OK;
    }
    Map<String, Object> settings = file.read();
    int removed = HookEntries.uninstall(settings);
    if (removed == 0) {
      Console.print(out, "no loopwatch hooks in " + file.path() + "; nothing changed\n");
      return Exit.OK;
    }
    Path backup = file.write(settings, LocalDateTime.now());
    Console.print(out, "removed " + removed + " loopwatch hook" + (removed == 1 ? "" : "s") + " from " + file.path()
        + backupNote(backup) + "\n");
    return Exit.OK;
  }

  /** Where the settings live: the project's, else {@code $CLAUDE_CONFIG_DIR}'s, else {@code ~/.claude}'s. */
  static Path settingsPath(String project, Map<String, String> env) {
    if (project != null) {
      return Path.of(project).toAbsolutePath().normalize().resolve(".claude").resolve("settings.json");
    }
    String configDir = env.get("CLAUDE_CONFIG_DIR");
    if (configDir != null && !configDir.isBlank()) {
      return Path.of(configDir).toAbsolutePath().resolve("settings.json");
    }
    String home = env.get("HOME");
    if (home == null || home.isBlank()) {
      home = System.getProperty("user.home");
    }
    return Path.of(home, ".claude", "settings.json");
  }

  private static String backupNote(Path backup) {
    return backup == null ? "" : " (backup: " + backup + ")";
  }

  private int fail(int code, String message) {
    Console.print(err, "loopwatch: " + message + "\n");
    return code;
  }
}
