package dev.loopwatch.daemon.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void apiKeys() {
    assertEquals("key [REDACTED] ok", Redaction.redact("key sk-ant-api03-AbCdEf0123456789_xyz-QQ ok"));
    assertEquals("export OPENAI_API_KEY=[REDACTED]", Redaction.redact("export OPENAI_API_KEY=sk-proj-abcdefghijklmnop1234"));
  }

  @Test
  void gitHubAwsSlack() {
    assertEquals("[REDACTED]", Redaction.redact("ghp_abcdefghijklmnopqrstuvwxyz0123456789"));
    assertEquals("[REDACTED]", Redaction.redact("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"));
    assertEquals("id [REDACTED] x", Redaction.redact("id AKIAIOSFODNN7EXAMPLE x"));
    assertEquals("[REDACTED]", Redaction.redact("xoxb-1234567890-abcdefghij"));
  }

  @Test
  void bearerTokensKeepTheScheme() {
    assertEquals(
        "curl -H 'Authorization: Bearer [REDACTED]' https://x",
        Redaction.redact("curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig' https://x"));
  }

  @Test
  void assignmentsKeepTheKey() {
    assertEquals("mysql -u root password=[REDACTED] db", Redaction.redact("mysql -u root password=hunter2 db"));
    assertEquals("{\"token\": \"[REDACTED]\"}", Redaction.redact("{\"token\": \"abc123\"}"));
    assertEquals("DB_PASSWORD: [REDACTED]", Redaction.redact("DB_PASSWORD: s3cr3t!"));
    assertEquals("MY_DB_PASSWORD=[REDACTED]", Redaction.redact("MY_DB_PASSWORD=hunter2"));
    assertEquals("?client_secret=[REDACTED]&x=1", Redaction.redact("?client_secret=abc&x=1"));
  }

  @Test
  void wordsThatOnlyLookLikeSecretsStay() {
    String text = "max_tokens=4096, tokens: 12 used; the secret of success; author: Jane; sk-short";
    assertEquals(text, Redaction.redact(text));
  }

  @Test
  void privateKeyBlocks() {
    String pem = "before\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----\nafter";
    assertEquals("before\n[REDACTED]\nafter", Redaction.redact(pem));
    assertEquals("x [REDACTED]", Redaction.redact("x -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1r"));
  }

  /**
   * The cheap checks only skip expressions that cannot match: on texts made of key words, separators,
   * values, tokens, look-alikes and prose, screened and unscreened redaction agree.
   */
  @Test
  void theCheapChecksNeverSkipASecret() {
    String[] fragments = {
      "password", "PASSWORD", "Passwd", "pwd", "secret", "client_secret", "token", "tokens", "auth_token",
      "Auth", "api_key", "API-KEY", "apikey", "x-api-key", "access_key", "AccessKey", "private-key", "max_tokens",
      "=", ":", " = ", ": ", "\": \"", "'", "\"", "\t", "\n", " ", ",", ";", "&", "?", "-", "_",
      "hunter2", "abc123", "s3cr3t!", "[REDACTED]", "4096",
      "sk-ant-api03-AbCdEf0123456789_xyz", "sk-short", "ghp_abcdefghijklmnopqrstuvwxyz0123", "gho_x",
      "github_pat_11ABCDEFG0123456789_abcdefghij", "AKIAIOSFODNN7EXAMPLE", "ASIA", "xoxb-1234567890-abcdefghij",
      "Bearer", "bearer", "eyJhbGciOiJIUzI1NiJ9.payload.sig",
      "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----", "MIIEow",
      "high", "through", "the API is down", "auth flow", "İ", "ß", "😀", "author"
    };
    java.util.Random random = new java.util.Random(20261123);
    int changed = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder();
      for (int k = random.nextInt(12) + 1; k > 0; k--) {
        text.append(fragments[random.nextInt(fragments.length)]);
        if (random.nextInt(3) == 0) {
          text.append(' ');
        }
      }
      String t = text.toString();
      String screened = Redaction.redact(t, true);
      assertEquals(Redaction.redact(t, false), screened, t);
      if (!screened.equals(t)) {
        changed++;
      }
    }
    assertTrue(changed > 2_000, "texts with a secret: " + changed);
  }

  @Test
  void nullAndEmpty() {
    assertNull(Redaction.redact(null));
    assertEquals("", Redaction.redact(""));
  }

  @Test
  void freeTextIsRedactedThenCut() {
    String longPrompt = "a".repeat(1990) + " sk-ant-api03-0123456789abcdefghij" + "b".repeat(5000);
    String clipped = FreeText.prompt(longPrompt);
    assertEquals(FreeText.PROMPT_MAX, clipped.length());
    assertFalse(clipped.contains("sk-ant"), clipped.substring(1980));
    assertTrue(clipped.endsWith(" [REDACTED"), clipped.substring(1980));
    assertEquals(FreeText.COMMAND_MAX, FreeText.command("x".repeat(10_000)).length());
    assertEquals(FreeText.ERROR_MAX, FreeText.error("e".repeat(10_000)).length());
  }

  @Test
  void cuttingNeverSplitsASurrogatePair() {
    String emoji = "😀";
    String text = "a".repeat(FreeText.COMMAND_MAX - 1) + emoji;
    String cut = FreeText.command(text);
    assertEquals(FreeText.COMMAND_MAX - 1, cut.length());
    assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 1)));
  }
}
