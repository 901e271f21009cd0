package dev.loopwatch.daemon.ingest.parse;

/**
 * Turns the whole content of a file that is rewritten in place (a JSON document, or a small text file)
 * into events. Called with each new version; versions whose content is unchanged are not re-parsed.
 */
public interface WholeFileParser {
  void parse(byte[] content, ParseContext ctx) throws BadLineException;
}
