package dev.loopwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizeFloorTest {
  @TempDir Path home;

  @Test
  void everyLineOfEveryTranscriptIsTokenizedAndABadOneIsCounted() throws Exception {
    Path project = Files.createDirectories(home.resolve("projects/-work-shop"));
    String a = "{\"type\":\"user\",\"n\":1}\n{\"type\":\"assistant\",\"a\":[1,2]}\n";
    String b = "{\"x\":\"y\"}\n\n{broken\n{\"last\":true}"; // an empty line, a bad one, no final newline
    Files.writeString(project.resolve("a.jsonl"), a);
    Files.writeString(Files.createDirectories(project.resolve("s/subagents")).resolve("b.jsonl"), b);
    Files.writeString(project.resolve("notes.txt"), "{\"not\":\"read\"}\n");

    TokenizeFloor.Counts c = TokenizeFloor.run(home, 2);

    assertEquals(2, c.files());
    assertEquals(5, c.lines());
    // {type user n 1} = 6 tokens; {type assistant a [1 2]} = 9; {x y} = 4; {last true} = 4
    assertEquals(23, c.tokens());
    assertEquals(1, c.refused());
    assertEquals(a.getBytes(StandardCharsets.UTF_8).length + b.getBytes(StandardCharsets.UTF_8).length, c.bytes());
  }
}
