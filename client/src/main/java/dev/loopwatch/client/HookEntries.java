package dev.loopwatch.client;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loopwatch's entries in a Claude Code {@code settings.json} (reference/claude-code-formats.md §2.1), added
 * and removed in place, everything else untouched. Ours are the {@code command} handlers whose command
 * ends in {@code loopwatch hook}: re-installing replaces them (a moved launcher is updated, never
 * duplicated), uninstalling removes only them.
 *
 * <p>SessionStart runs synchronously (its stdout becomes the session's context) for every source; the
 * others are async, so Claude Code never waits for them. {@code timeout} is in seconds and only a cap:
 * the hook keeps its own, much shorter deadline.
 */
final class HookEntries {
  /** Thrown when the file's {@code hooks} are not shaped as Claude Code reads them. */
  static final class BadShape extends Exception {
    private static final long serialVersionUID = 1L;

    BadShape(String message) {
      super(message);
    }
  }

  static final long TIMEOUT_SECONDS = 5;
  /** Our events, in the order they are added. SessionStart is the only synchronous one. */
  static final List<String> EVENTS =
      List.of("SessionStart", "SessionEnd", "Stop", "SubagentStop", "UserPromptSubmit", "PostToolUse", "PostToolUseFailure");

  private HookEntries() {}

  /** The hook command for a launcher path, quoted for the shell when it needs to be. */
  static String command(String launcher) {
    boolean plain = !launcher.isEmpty();
    for (int k = 0; k < launcher.length() && plain; k++) {
      char c = launcher.charAt(k);
      plain = Character.isLetterOrDigit(c) || "/._-+@%:,=".indexOf(c) >= 0;
    }
    String path = plain ? launcher : "'" + launcher.replace("'", "'\\''") + "'";
    return path + " hook";
  }

  /** Whether a handler is one of ours. */
  static boolean isOurs(Object handler) {
    if (!(handler instanceof Map<?, ?> h) || !(h.get("command") instanceof String c)) {
      return false;
    }
    String s = c.strip();
    return s.endsWith("loopwatch hook") || s.endsWith("loopwatch' hook") || s.endsWith("loopwatch\" hook");
  }

  /** The group we want for {@code event}. */
  static Map<String, Object> group(String event, String command) {
    Map<String, Object> handler = new LinkedHashMap<>();
    handler.put("type", "command");
    handler.put("command", command);
    if (!event.equals("SessionStart")) {
      handler.put("async", Boolean.TRUE);
    }
    handler.put("timeout", TIMEOUT_SECONDS);
    Map<String, Object> group = new LinkedHashMap<>();
    if (event.equals("PostToolUse") || event.equals("PostToolUseFailure")) {
      group.put("matcher", "*");
    }
    List<Object> handlers = new ArrayList<>();
    handlers.add(handler);
    group.put("hooks", handlers);
    return group;
  }

  /**
   * Puts our groups into {@code settings} (changed in place): each where our old one was, else at the end
   * of the event's list. Returns whether anything changed.
   */
  static boolean install(Map<String, Object> settings, String command) throws BadShape {
    Map<String, Object> hooks = hooksOf(settings, true);
    boolean changed = false;
    for (String event : EVENTS) {
      Object v = hooks.get(event);
      if (v != null && !(v instanceof List)) {
        throw new BadShape("\"hooks\"." + event + " is not an array");
      }
      @SuppressWarnings("unchecked")
      List<Object> groups = v == null ? new ArrayList<>() : (List<Object>) v;
      List<Object> before = deepCopy(groups);
      int at = -1;
      List<Object> kept = new ArrayList<>();
      for (Object g : groups) {
        List<Object> handlers = handlersOf(g);
        if (handlers != null && handlers.removeIf(HookEntries::isOurs)) {
          if (at < 0) {
            at = kept.size();
          }
          if (handlers.isEmpty()) {
            continue; // the group was ours alone
          }
        }
        kept.add(g);
      }
      kept.add(at < 0 ? kept.size() : at, group(event, command));
      if (v == null) {
        hooks.put(event, kept);
        changed = true;
      } else if (!kept.equals(before)) {
        groups.clear();
        groups.addAll(kept);
        changed = true;
      } else {
        groups.clear();
        groups.addAll(before); // same content: keep the user's key order too
      }
    }
    return changed;
  }

  /**
   * Removes our handlers from every event, then the groups, event lists and {@code hooks} object that
   * removing them left empty (and only those). Returns how many handlers were removed.
   */
  static int uninstall(Map<String, Object> settings) {
    if (!(settings.get("hooks") instanceof Map<?, ?> raw)) {
      return 0;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> hooks = (Map<String, Object>) raw;
    int removed = 0;
    for (Iterator<Map.Entry<String, Object>> events = hooks.entrySet().iterator(); events.hasNext(); ) {
      if (!(events.next().getValue() instanceof List<?> list)) {
        continue;
      }
      int removedHere = 0;
      for (Iterator<?> groups = list.iterator(); groups.hasNext(); ) {
        List<Object> handlers = handlersOf(groups.next());
        if (handlers == null) {
          continue;
        }
        int size = handlers.size();
        handlers.removeIf(HookEntries::isOurs);
        removedHere += size - handlers.size();
        if (size > handlers.size() && handlers.isEmpty()) {
          groups.remove();
        }
      }
      removed += removedHere;
      if (removedHere > 0 && list.isEmpty()) {
        events.remove();
      }
    }
    if (removed > 0 && hooks.isEmpty()) {
      settings.remove("hooks");
    }
    return removed;
  }

  private static Map<String, Object> hooksOf(Map<String, Object> settings, boolean create) throws BadShape {
    Object v = settings.get("hooks");
    if (v == null && create) {
      Map<String, Object> hooks = new LinkedHashMap<>();
      settings.put("hooks", hooks);
      return hooks;
    }
    if (!(v instanceof Map)) {
      throw new BadShape("\"hooks\" is not an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> hooks = (Map<String, Object>) v;
    return hooks;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> handlersOf(Object group) {
    return group instanceof Map<?, ?> g && g.get("hooks") instanceof List<?> l ? (List<Object>) l : null;
  }

  @SuppressWarnings("unchecked")
  private static <T> T deepCopy(T v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        copy.put(String.valueOf(e.getKey()), deepCopy(e.getValue()));
      }
      return (T) copy;
    }
    if (v instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      for (Object x : l) {
        copy.add(deepCopy(x));
      }
      return (T) copy;
    }
    return v;
  }
}
