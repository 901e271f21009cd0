package dev.loopwatch.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** install-hooks and uninstall-hooks on real files: merged in place, idempotent, backed up, refused when not JSON. */
class InstallHooksTest {
  static final String LAUNCHER = "/opt/loopwatch/bin/loopwatch";

  /** A settings file with the user's own hooks and settings, in an order of their choosing. */
  static final String USERS =
      """
      {
        "model": "opus",
        "permissions": {"allow": ["Bash(npm test)"], "deny": []},
        "hooks": {
          "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "/usr/local/bin/check.sh", "timeout": 30}]}],
          "SessionStart": [{"matcher": "startup|resume", "hooks": [{"command": "/usr/local/bin/daemon-hook", "type": "command", "async": false}]}],
          "Stop": [{"hooks": [{"type": "http", "url": "http://127.0.0.1:7777/hook"}]}]
        },
        "statusLine": {"type": "command", "command": "~/.claude/statusline.sh", "padding": 0},
        "cleanupPeriodDays": 30,
        "price": 1.50,
        "unicode": "caf\\u00e9 \u2603",
        "empty": {}
      }
      """;

  @TempDir Path home;
  Map<String, String> env;
  Path settings;

  @BeforeEach
  void env() {
    env = Run.env(home);
    env.put(HooksCommand.LAUNCHER_ENV, LAUNCHER);
    settings = home.resolve(".claude").resolve("settings.json");
  }

  private Run install() {
    return Run.of(env, "install-hooks");
  }

  private Run uninstall() {
    return Run.of(env, "uninstall-hooks");
  }

  private List<Path> backups(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("settings.json.loopwatch-backup-")).toList();
    }
  }

  private static Map<String, Object> json(Path file) throws IOException {
    return Json.parseObject(Files.readString(file));
  }

  @Test
  void aMissingFileIsCreatedWithOurHooks() throws IOException {
    Run r = install();
    assertEquals(0, r.exit(), r.err());
    assertEquals(
        """
        {
          "hooks": {
            "SessionStart": [
              {
                "hooks": [
                  {
                    "type": "command",
                    "command": "/opt/loopwatch/bin/loopwatch hook",
                    "timeout": 5
                  }
                ]
              }
            ],
            "SessionEnd": [
              {
                "hooks": [
                  {
                    "type": "command",
                    "command": "/opt/loopwatch/bin/loopwatch hook",
                    "async": true,
                    "timeout": 5
                  }
                ]
              }
            ],
            "Stop": [
              {
                "hooks": [
                  {
                    "type": "command",
                    "command": "/opt/loopwatch/bin/loopwatch hook",
                    "async": true,
                    "timeout": 5
                  }
                ]
              }
            ],
            "SubagentStop": [
              {
                "hooks": [
                  {
                    "type": "command",
                    "command": "/opt/loopwatch/bin/loopwatch hook",
                    "async": true,
                    "timeout": 5
                  }
                ]
              }
            ],
            "UserPromptSubmit": [
              {
                "hooks": [
                  {
                    "type": "command",
                    "command": "/opt/loopwatch/bin/loopwatch hook",
                    "async": true,
                    "timeout": 5
                  }
                ]
              }
            ],
            "PostToolUse": [
              {
                "matcher": "*",
                "hooks": [
                  {
                    "type": "command",
                    "command": "/opt/loopwatch/bin/loopwatch hook",
                    "async": true,
                    "timeout": 5
                  }
                ]
              }
            ],
            "PostToolUseFailure": [
              {
                "matcher": "*",
                "hooks": [
                  {
                    "type": "command",
                    "command": "/opt/loopwatch/bin/loopwatch hook",
                    "async": true,
                    "timeout": 5
                  }
                ]
              }
            ]
          }
        }
        """,
        Files.readString(settings));
    assertTrue(r.out().startsWith("installed loopwatch hooks in " + settings + "\n  command: " + LAUNCHER + " hook\n"), r.out());
    assertEquals(List.of(), backups(settings.getParent()));
  }

  @Test
  void everythingElseIsKeptInItsOrderAndTheOriginalIsBackedUp() throws IOException {
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, USERS);
    Run r = install();
    assertEquals(0, r.exit(), r.err());

    Map<String, Object> after = json(settings);
    Map<String, Object> before = Json.parseObject(USERS);
    assertEquals(List.of("model", "permissions", "hooks", "statusLine", "cleanupPeriodDays", "price", "unicode", "empty"),
        List.copyOf(after.keySet()));
    for (String key : before.keySet()) {
      if (!key.equals("hooks")) {
        assertEquals(before.get(key), after.get(key), key);
      }
    }
    Map<String, Object> hooks = Fields.map(after, "hooks");
    assertEquals(List.of("PreToolUse", "SessionStart", "Stop", "SessionEnd", "SubagentStop", "UserPromptSubmit",
        "PostToolUse", "PostToolUseFailure"), List.copyOf(hooks.keySet()));
    assertEquals(Fields.map(before, "hooks").get("PreToolUse"), hooks.get("PreToolUse"));
    List<Object> sessionStart = Fields.list(hooks, "SessionStart");
    assertEquals(2, sessionStart.size());
    assertEquals(((List<?>) Fields.map(before, "hooks").get("SessionStart")).get(0), sessionStart.get(0), "theirs first");
    assertEquals(HookEntries.group("SessionStart", LAUNCHER + " hook"), sessionStart.get(1));
    List<Object> stop = Fields.list(hooks, "Stop");
    assertEquals(((List<?>) Fields.map(before, "hooks").get("Stop")).get(0), stop.get(0));
    assertEquals(HookEntries.group("Stop", LAUNCHER + " hook"), stop.get(1));
    String text = Files.readString(settings);
    assertTrue(text.contains("\"price\": 1.50,\n"), text);
    assertTrue(text.contains("\"unicode\": \"café ☃\",\n"), text);
    assertTrue(text.contains("\"permissions\": {\n    \"allow\": [\n      \"Bash(npm test)\"\n    ],\n    \"deny\": []\n  },"), text);
    assertTrue(text.contains("{\n            \"command\": \"/usr/local/bin/daemon-hook\",\n            \"type\": \"command\""), text);

    List<Path> backups = backups(settings.getParent());
    assertEquals(1, backups.size());
    assertTrue(backups.get(0).getFileName().toString().matches("settings\\.json\\.loopwatch-backup-\\d{8}-\\d{6}"), backups.toString());
    assertEquals(USERS, Files.readString(backups.get(0)));
    assertTrue(r.out().contains("(backup: " + backups.get(0) + ")"), r.out());
  }

  @Test
  void installingTwiceChangesNothingTheSecondTime() throws IOException {
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, USERS);
    assertEquals(0, install().exit());
    byte[] once = Files.readAllBytes(settings);
    Run again = install();
    assertEquals(0, again.exit(), again.err());
    assertEquals("loopwatch hooks are already in " + settings + "; nothing changed\n", again.out());
    assertArrayEquals(once, Files.readAllBytes(settings));
    assertEquals(1, backups(settings.getParent()).size());
  }

  @Test
  void aMovedLauncherIsUpdatedInPlaceNotDuplicated() throws IOException {
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, USERS);
    assertEquals(0, install().exit());
    Map<String, Object> first = json(settings);
    env.put(HooksCommand.LAUNCHER_ENV, "/home/dev/my tools/loopwatch");
    assertEquals(0, install().exit());
    Map<String, Object> second = json(settings);
    String quoted = "'/home/dev/my tools/loopwatch' hook";
    for (String event : HookEntries.EVENTS) {
      List<Object> a = Fields.list(Fields.map(first, "hooks"), event);
      List<Object> b = Fields.list(Fields.map(second, "hooks"), event);
      assertEquals(a.size(), b.size(), event);
      assertEquals(HookEntries.group(event, quoted), b.get(b.size() - 1), event);
    }
    assertEquals(Fields.map(first, "hooks").keySet(), Fields.map(second, "hooks").keySet());
    Run removed = uninstall();
    assertTrue(removed.out().startsWith("removed 7 loopwatch hooks"), removed.out());
    assertEquals(Json.parseObject(USERS), json(settings));
  }

  @Test
  void ourHandlerInsideSomeoneElsesGroupIsMovedToItsOwn() throws IOException {
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"/x/notify\"},"
        + "{\"type\":\"command\",\"command\":\"/old/place/loopwatch hook\"}]}]}}");
    assertEquals(0, install().exit());
    List<Object> stop = Fields.list(Fields.map(json(settings), "hooks"), "Stop");
    assertEquals(List.of(HookEntries.group("Stop", LAUNCHER + " hook"),
        Map.of("hooks", List.of(Map.of("type", "command", "command", "/x/notify")))), stop);
  }

  @Test
  void uninstallRemovesOnlyOursAndWhatItLeavesEmpty() throws IOException {
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, USERS);
    assertEquals(0, install().exit());
    Run r = uninstall();
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("removed 7 loopwatch hooks from " + settings + " (backup: "), r.out());
    assertEquals(Json.parseObject(USERS), json(settings));
    assertEquals(List.copyOf(Json.parseObject(USERS).keySet()), List.copyOf(json(settings).keySet()));
    assertEquals(2, backups(settings.getParent()).size(), "one per change, even within the same second");

    Run none = uninstall();
    assertEquals(0, none.exit());
    assertEquals("no loopwatch hooks in " + settings + "; nothing changed\n", none.out());
  }

  @Test
  void uninstallAfterAFreshInstallLeavesAnEmptyObject() throws IOException {
    assertEquals(0, install().exit());
    assertEquals(0, uninstall().exit());
    assertEquals("{}\n", Files.readString(settings));
  }

  @Test
  void uninstallWithoutAFileDoesNothing() {
    Run r = uninstall();
    assertEquals(0, r.exit());
    assertEquals("no " + settings + "; nothing to remove\n", r.out());
    assertFalse(Files.exists(settings));
  }

  @Test
  void aFileThatIsNotJsonIsRefusedAndLeftAlone() throws IOException {
    Files.createDirectories(settings.getParent());
    String broken = "{\n  \"model\": \"opus\",\n  \"hooks\": {\n    \"Stop\": []\n  }\n  \"env\": {}\n}\n";
    Files.writeString(settings, broken);
    for (Run r : List.of(install(), uninstall())) {
      assertEquals(Exit.ERROR, r.exit());
      assertEquals("", r.out());
      assertEquals("loopwatch: " + settings + " is not valid JSON: expected ',' or '}' near line 6, column 4; nothing was changed\n",
          r.err());
      assertEquals(broken, Files.readString(settings));
      assertEquals(List.of(), backups(settings.getParent()));
    }
  }

  @Test
  void otherShapesAreRefusedToo() throws IOException {
    Files.createDirectories(settings.getParent());
    for (String[] c : new String[][] {
        {"[1, 2]", " is not a JSON object"},
        {"{\"hooks\": []}", ": \"hooks\" is not an object"},
        {"{\"hooks\": {\"Stop\": {}}}", ": \"hooks\".Stop is not an array"},
        {"{\"a\": \"\\ud800\"} \u0000", " is not valid JSON: unexpected content after the JSON value near line 1, column 17"}}) {
      Files.writeString(settings, c[0]);
      Run r = install();
      assertEquals(Exit.ERROR, r.exit(), c[0]);
      assertEquals("loopwatch: " + settings + c[1] + "; nothing was changed\n", r.err());
      assertEquals(c[0], Files.readString(settings));
    }
    Files.write(settings, new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'});
    Run r = install();
    assertEquals(Exit.ERROR, r.exit());
    assertEquals("loopwatch: " + settings + " is not UTF-8 text; nothing was changed\n", r.err());
  }

  @Test
  void anEmptyFileIsAnEmptyObject() throws IOException {
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, "  \n");
    assertEquals(0, install().exit());
    assertEquals(HookEntries.EVENTS, List.copyOf(Fields.map(json(settings), "hooks").keySet()));
    assertEquals(1, backups(settings.getParent()).size());
  }

  @Test
  void projectSettingsLiveInTheProjectsClaudeDirectory() throws IOException {
    Path project = Files.createDirectories(home.resolve("work").resolve("shop"));
    Run r = Run.of(env, "install-hooks", "--project", project.toString());
    assertEquals(0, r.exit(), r.err());
    Path file = project.resolve(".claude").resolve("settings.json");
    assertEquals(HookEntries.EVENTS, List.copyOf(Fields.map(json(file), "hooks").keySet()));
    assertFalse(Files.exists(settings), "the user's settings are not touched");
    assertEquals(0, Run.of(env, "uninstall-hooks", "--project", project.toString()).exit());
    assertEquals("{}\n", Files.readString(file));

    Run missing = Run.of(env, "install-hooks", "--project", home.resolve("nope").toString());
    assertEquals(Exit.USAGE, missing.exit());
    assertEquals("loopwatch: install-hooks: --project " + home.resolve("nope") + " is not a directory\n", missing.err());
  }

  @Test
  void claudeConfigDirWinsOverHome() throws IOException {
    Path config = home.resolve("alt-claude");
    env.put("CLAUDE_CONFIG_DIR", config.toString());
    assertEquals(0, install().exit());
    assertTrue(Files.exists(config.resolve("settings.json")));
    assertFalse(Files.exists(settings));
  }

  @Test
  void aSymlinkedFileIsWrittenThroughTheLink() throws IOException {
    Path dotfiles = Files.createDirectories(home.resolve("dotfiles"));
    Path real = dotfiles.resolve("claude-settings.json");
    Files.writeString(real, "{\"model\": \"opus\"}");
    Files.createDirectories(settings.getParent());
    Files.createSymbolicLink(settings, real);
    assertEquals(0, install().exit());
    assertTrue(Files.isSymbolicLink(settings));
    assertEquals("opus", json(real).get("model"));
    assertTrue(json(real).containsKey("hooks"));
  }

  @Test
  void installNeedsTheLaunchersPath() {
    env.remove(HooksCommand.LAUNCHER_ENV);
    Run r = install();
    assertEquals(Exit.USAGE, r.exit());
    assertTrue(r.err().contains("LOOPWATCH_LAUNCHER"), r.err());
    assertFalse(Files.exists(settings));
  }

  @Test
  void commandsAreRecognisedByTheirEnd() {
    assertTrue(HookEntries.isOurs(Map.of("type", "command", "command", "/a/b/loopwatch hook")));
    assertTrue(HookEntries.isOurs(Map.of("type", "command", "command", "'/a b/loopwatch' hook  ")));
    assertFalse(HookEntries.isOurs(Map.of("type", "command", "command", "/a/b/loopwatch hooks")));
    assertFalse(HookEntries.isOurs(Map.of("type", "http", "url", "http://x/loopwatch hook")));
    assertEquals("/usr/bin/loopwatch hook", HookEntries.command("/usr/bin/loopwatch"));
    assertEquals("'/it'\\''s here/loopwatch' hook", HookEntries.command("/it's here/loopwatch"));
  }
}
