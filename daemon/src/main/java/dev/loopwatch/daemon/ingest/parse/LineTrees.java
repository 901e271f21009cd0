package dev.loopwatch.daemon.ingest.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the JSON tree of one line without tokenizing the bulk of it. Transcript lines are mostly tool
 * outputs, file contents and thinking text that no parser needs beyond a short prefix, and tokenizing
 * those strings was most of the ingest's CPU time. So a line is first scanned for string values longer
 * than {@link #KEEP_CHARS} characters (a quote/backslash state machine: valid JSON can't fool it); each
 * becomes a {@link LongText} (its prefix decoded, its length and newlines counted) and is cut out of the
 * bytes Jackson sees. Jackson then parses the much smaller remainder, strictly as always. The tree is
 * exactly what {@code ObjectMapper.readTree} builds, but for the long values being cut.
 */
public final class LineTrees {
  /** Characters kept of a long string value: parsers keep at most 2,000 of them. */
  public static final int KEEP_CHARS = 4096;

  private static final JsonFactory JSON = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private LineTrees() {}

  /** Parses {@code len} bytes at {@code off} as one JSON value (trailing content is an error). */
  public static JsonNode read(byte[] buf, int off, int len) throws IOException {
    Map<Integer, LongText> cut = null;
    byte[] src = buf;
    int srcOff = off;
    int srcLen = len;
    if (len > KEEP_CHARS) {
      ByteArrayOutputStream skeleton = null;
      int copied = off;
      int end = off + len;
      int i = off;
      while (i < end) {
        if (buf[i] != '"') {
          i++;
          continue;
        }
        int close = closingQuote(buf, i + 1, end);
        if (close < 0) {
          break; // unterminated: Jackson reports it
        }
        if (close - i - 1 > KEEP_CHARS) {
          LongText text = longText(buf, i + 1, close);
          if (text != null) {
            if (skeleton == null) {
              skeleton = new ByteArrayOutputStream(Math.min(len, 1 << 16));
              cut = new HashMap<>();
            }
            skeleton.write(buf, copied, i - copied);
            cut.put(skeleton.size(), text); // Jackson's byte offset of this string's opening quote
            skeleton.write('"');
            skeleton.write('"');
            copied = close + 1;
          }
        }
        i = close + 1;
      }
      if (skeleton != null) {
        skeleton.write(buf, copied, end - copied);
        src = skeleton.toByteArray();
        srcOff = 0;
        srcLen = src.length;
      }
    }
    try (JsonParser p = JSON.createParser(src, srcOff, srcLen)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new JsonParseException(p, "empty line");
      }
      JsonNode root = value(p, t, cut);
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "trailing content after the JSON value");
      }
      return root;
    }
  }

  /** Index of the quote closing the string whose content starts at {@code from}, or -1. */
  private static int closingQuote(byte[] b, int from, int end) {
    for (int i = from; i < end; i++) {
      byte c = b[i];
      if (c == '"') {
        return i;
      }
      if (c == '\\') {
        i++;
      }
    }
    return -1;
  }

  private static JsonNode value(JsonParser p, JsonToken t, Map<Integer, LongText> cut) throws IOException {
    switch (t) {
      case START_OBJECT:
        ObjectNode o = NODES.objectNode();
        for (JsonToken n = p.nextToken(); n == JsonToken.FIELD_NAME; n = p.nextToken()) {
          String name = p.currentName();
          o.set(name, value(p, p.nextToken(), cut));
        }
        return o;
      case START_ARRAY:
        ArrayNode a = NODES.arrayNode();
        for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
          if (n == null) {
            throw new JsonParseException(p, "unexpected end of input in an array");
          }
          a.add(value(p, n, cut));
        }
        return a;
      case VALUE_STRING:
        if (cut != null) {
          LongText text = cut.get((int) p.currentTokenLocation().getByteOffset());
          if (text != null) {
            return text;
          }
        }
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  /**
   * The string content in [from, to) (between its quotes) as a {@link LongText}, or {@code null} when
   * it has at most {@link #KEEP_CHARS} characters after all (multi-byte characters) or a broken escape
   * (then Jackson decodes and judges it).
   */
  static LongText longText(byte[] b, int from, int to) {
    try {
      return decodeLong(b, from, to);
    } catch (RuntimeException brokenEscape) {
      return null;
    }
  }

  private static LongText decodeLong(byte[] b, int from, int to) {
    StringBuilder prefix = new StringBuilder(KEEP_CHARS + 2);
    long chars = 0;
    long newlines = 0;
    int i = from;
    int run = from;
    // Decode the first KEEP_CHARS characters ...
    while (i < to && chars < KEEP_CHARS) {
      int c = b[i] & 0xff;
      if (c == '\\') {
        appendRaw(prefix, b, run, i);
        char decoded = unescape(b, i, to);
        prefix.append(decoded);
        newlines += decoded == '\n' ? 1 : 0;
        chars++;
        i += b[i + 1] == 'u' ? 6 : 2;
        run = i;
        continue;
      }
      chars += charsOf(c);
      i++;
    }
    while (i < to && (b[i] & 0xc0) == 0x80) {
      i++; // finish a multi-byte character
    }
    appendRaw(prefix, b, run, i);
    if (i >= to) {
      return null; // short after all
    }
    return new LongText(prefix.toString(), chars, newlines, b, i, to);
  }

  /** Length and newlines of escaped string content in [from, to). */
  record Counts(long chars, long newlines, boolean endsWithNewline) {}

  /**
   * Counts the rest of a long value. That rest never reaches Jackson, so its escapes are not judged
   * here either: a malformed {@code \\u} counts as one character.
   */
  static Counts count(byte[] b, int from, int to) {
    long chars = 0;
    long newlines = 0;
    boolean lastNewline = false;
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      if (c == '\\' && i + 1 < to) {
        lastNewline = b[i + 1] == 'n' || (b[i + 1] == 'u' && isNewlineEscape(b, i, to));
        newlines += lastNewline ? 1 : 0;
        chars++;
        i += b[i + 1] == 'u' ? 6 : 2;
        continue;
      }
      lastNewline = false;
      chars += charsOf(c);
      i++;
    }
    return new Counts(chars, newlines, lastNewline);
  }

  private static boolean isNewlineEscape(byte[] b, int backslash, int to) {
    try {
      return unescape(b, backslash, to) == '\n';
    } catch (RuntimeException malformed) {
      return false;
    }
  }

  /** UTF-16 units a UTF-8 byte starts: 0 for continuation bytes, 2 for a 4-byte sequence. */
  private static int charsOf(int c) {
    if (c < 0x80) {
      return 1;
    }
    if (c < 0xc0) {
      return 0;
    }
    return c >= 0xf0 ? 2 : 1;
  }

  private static char unescape(byte[] b, int backslash, int to) {
    int e = b[backslash + 1] & 0xff;
    return switch (e) {
      case 'n' -> '\n';
      case 't' -> '\t';
      case 'r' -> '\r';
      case 'b' -> '\b';
      case 'f' -> '\f';
      case '"', '\\', '/' -> (char) e;
      case 'u' -> {
        if (backslash + 6 > to) {
          throw new IllegalArgumentException("short \\u escape");
        }
        yield (char) Integer.parseInt(new String(b, backslash + 2, 4, StandardCharsets.ISO_8859_1), 16);
      }
      default -> throw new IllegalArgumentException("bad escape");
    };
  }

  private static void appendRaw(StringBuilder sb, byte[] b, int from, int to) {
    if (from < to) {
      sb.append(new String(b, from, to - from, StandardCharsets.UTF_8));
    }
  }
}
