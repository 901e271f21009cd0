package dev.loopwatch.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredAttrsTest {
  @Test
  void attributesComeBackAsWrittenWithTheirKeysSortedSoARebuildWritesTheSameText() {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("summary", "the flaky test was the clock \"again\"\n");
    attrs.put("outcome", "SUCCESS");
    attrs.put("emoji", "✓ 🙂");
    String column = StoredAttrs.write(attrs);
    assertEquals("{\"emoji\":\"✓ 🙂\",\"outcome\":\"SUCCESS\",\"summary\":\"the flaky test was the clock \\\"again\\\"\\n\"}",
        column);
    assertEquals(attrs, StoredAttrs.read(column));
  }

  @Test
  void noAttributesAreNull() {
    assertNull(StoredAttrs.write(Map.of()));
    assertTrue(StoredAttrs.read(null).isEmpty());
  }

  @Test
  void aDamagedValueIsAnErrorThatSaysWhichColumn() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StoredAttrs.read("{\"a\":"));
    assertTrue(e.getMessage().startsWith("events.attrs is not a JSON object of strings"), e.getMessage());
  }
}
