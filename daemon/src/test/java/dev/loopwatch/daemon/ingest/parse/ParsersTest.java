package dev.loopwatch.daemon.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ParsersTest {

  @Test
  void everyKindHasAParserOfItsMode() {
    for (SourceKind kind : SourceKind.values()) {
      if (kind.mode() == SourceKind.Mode.LINES) {
        assertNotNull(Parsers.lineParser(kind), kind.name());
        assertThrows(IllegalArgumentException.class, () -> Parsers.wholeFileParser(kind), kind.name());
      } else {
        assertNotNull(Parsers.wholeFileParser(kind), kind.name());
        assertThrows(IllegalArgumentException.class, () -> Parsers.lineParser(kind), kind.name());
      }
    }
  }

  @Test
  void parsersAreSharedSingletons() {
    assertSame(Parsers.lineParser(SourceKind.CLAUDE_TRANSCRIPT), Parsers.lineParser(SourceKind.CLAUDE_TRANSCRIPT));
    assertSame(
        Parsers.wholeFileParser(SourceKind.CLAUDE_LIVE_SESSION),
        Parsers.wholeFileParser(SourceKind.CLAUDE_LIVE_SESSION));
  }
}
