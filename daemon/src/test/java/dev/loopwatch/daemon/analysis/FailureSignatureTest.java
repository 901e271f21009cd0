package dev.loopwatch.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What makes two failures "the same": the folding of what varies, the error class, the input's shape,
 * and the stable hash over the three. The error texts are the real ones of the sample transcripts where
 * there is one.
 */
class FailureSignatureTest {

  // -------------------------------------------------------------------------------- folding

  @Test
  void numbersAreFolded() {
    assertEquals("took # ms on port #", FailureSignature.fold("took 125 ms on port 8080"));
    assertEquals("line #, column #", FailureSignature.fold("line 73, column 12"));
    assertEquals("expected # but got #", FailureSignature.fold("expected 3.14 but got 2.71"));
  }

  @Test
  void pathsAreFolded() {
    assertEquals("cannot open <path>", FailureSignature.fold("cannot open /home/marco/projects/spotter/mix.exs"));
    assertEquals("cannot open <path>", FailureSignature.fold("cannot open ~/notes/todo.md"));
    assertEquals("cannot open <path>", FailureSignature.fold("cannot open ./lib/app.ex"));
    assertEquals("cannot open <path>", FailureSignature.fold("cannot open ../other/README"));
    assertEquals("cannot open <path>", FailureSignature.fold("cannot open C:\\Users\\marco\\file.txt"));
  }

  @Test
  void numbersWithUnitsAreFoldedWhole() {
    assertEquals(FailureSignature.fold("timed out after 12.5s"), FailureSignature.fold("timed out after 3s"));
    assertEquals(FailureSignature.fold("took 500ms"), FailureSignature.fold("took 20ms"));
    assertEquals("took #", FailureSignature.fold("took 500ms"));
  }

  @Test
  void relativePathsAreFoldedWordsWithASlashAreNot() {
    assertEquals("<path>:#:# #(mod.fun)", FailureSignature.fold("lib/spotter_web/controllers/hooks_controller.ex:144:7 #(Mod.fun)"));
    assertEquals("<path>:#:# error", FailureSignature.fold("src/main.rs:10:3 error"));
    assertEquals("ignored: <path>", FailureSignature.fold("ignored: priv/static/assets"));
    assertEquals(
        FailureSignature.fold("lib/a.ex:1: undefined"), FailureSignature.fold("test/support/b.exs:99: undefined"));
    assertEquals("and/or tcp/ip foo/#", FailureSignature.fold("and/or TCP/IP foo/1"));
  }

  @Test
  void aDriveLetterOnlyStartsAWord() {
    // "failed:" + an escaped line break is not the path "d:\n..." (it used to fold to "faile<path>")
    assertEquals("validation failed:<path>", FailureSignature.fold("validation failed:\\n\\n"));
    assertEquals("error at <path>", FailureSignature.fold("Error at C:\\Users\\x\\file.txt"));
  }

  @Test
  void hashesWithDigitsAreFoldedWordsAreNot() {
    assertEquals("commit <hash> not found", FailureSignature.fold("commit 3f2a9c1b not found"));
    assertEquals("commit <hash> not found", FailureSignature.fold("commit 6eea407aa0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5 not found"));
    assertEquals("deadbeef: decade facade", FailureSignature.fold("deadbeef: decade facade"));
  }

  @Test
  void uuidsAreFolded() {
    assertEquals("session <id> not found", FailureSignature.fold("session 4d5611e5-241a-462a-8d15-5122611a9569 not found"));
  }

  @Test
  void quotedValuesAreFolded() {
    assertEquals("no module named <str>", FailureSignature.fold("No module named 'torch'"));
    assertEquals("key <str> missing", FailureSignature.fold("key \"user.name\" missing"));
    assertEquals("run <str> to fix", FailureSignature.fold("Run `mix format` to fix"));
  }

  @Test
  void caseAndSpacesAreNormalized() {
    assertEquals("permission denied", FailureSignature.fold("  Permission   DENIED\t"));
  }

  // --------------------------------------------------------------------------- error class

  @Test
  void theClassIsTheFirstInformativeLineWithoutToolTags() {
    assertEquals("file does not exist.", FailureSignature.errorClass("<tool_use_error>File does not exist.</tool_use_error>"));
    assertEquals(
        "string to replace not found in file.",
        FailureSignature.errorClass("<tool_use_error>String to replace not found in file.\nString:   defp do_setup do\n"));
    assertEquals("(no message)", FailureSignature.errorClass(null));
    assertEquals("(no message)", FailureSignature.errorClass(" \n\t\n"));
  }

  @Test
  void anExitCodeLineIsKeptWithItsNumberAndPrefixesTheMessage() {
    assertEquals(
        "exit code 128: fatal: the current branch spotter-dov has no upstream branch.",
        FailureSignature.errorClass(
            "Exit code 128\nfatal: The current branch spotter-dov has no upstream branch.\nTo push the current branch"));
    assertEquals("exit code 1: (eval):#: permission denied:", FailureSignature.errorClass("Exit code 1\n(eval):1: permission denied:"));
    assertEquals("exit code 2", FailureSignature.errorClass("Exit code 2"));
    assertEquals("exit code 2", FailureSignature.errorClass("Exit code 2\n\n"));
    // different exit codes are different failures (grep: 1 = no match, 2 = error)
    assertNotEquals(FailureSignature.errorClass("Exit code 1"), FailureSignature.errorClass("Exit code 2"));
  }

  /** The real Python failures of the sniffly sample: a warning comes first, the exception last. */
  @Test
  void anExceptionLineIsTheClassEvenAfterWarningsAndAStack() {
    String missingTorch =
        "None of PyTorch, TensorFlow >= 2.0, or Flax have been found. Models won't be available and only tokenizers,"
            + " configuration and file/data utilities can be used.\n"
            + "Traceback (most recent call last):\n"
            + "  File \"/Users/chip/dev/ai-music/model_comparison.py\", line 9, in <module>\n"
            + "    import torch\n"
            + "ModuleNotFoundError: No module named 'torch'";
    String syntax =
        "File \"/Users/chip/dev/ai-music/diverse_musical_ai.py\", line 73\n"
            + "    inputs = self.tokenizer(token, return_tensors=\\\"pt\\\", padding=True)\\n        \n"
            + "                                                   ^\n"
            + "SyntaxError: unexpected character after line continuation character";
    String eof =
        "/Users/chip/anaconda3/lib/python3.11/site-packages/transformers/utils/generic.py:260: FutureWarning:"
            + " `torch.utils._pytree._register_pytree_node` is deprecated.\n"
            + "  torch.utils._pytree._register_pytree_node(\n"
            + "Traceback (most recent call last):\n"
            + "  File \"/Users/chip/dev/ai-music/diverse_musical_ai.py\", line 385, in <module>\n"
            + "    main()\n"
            + "EOFError: EOF when reading a line\n"
            + "\n"
            + "DIVERSE Musical AI Generator";
    assertEquals("modulenotfounderror: no module named <str>", FailureSignature.errorClass(missingTorch));
    assertEquals(
        "syntaxerror: unexpected character after line continuation character", FailureSignature.errorClass(syntax));
    assertEquals("eoferror: eof when reading a line", FailureSignature.errorClass(eof));
    assertEquals("java.lang.illegalstateexception: boom", FailureSignature.errorClass("java.lang.IllegalStateException: boom\n\tat x.Y.z(Y.java:1)"));
    // the same program failing in two different ways: two signatures
    assertNotEquals(
        FailureSignature.of("Bash", missingTorch, "python model_comparison.py", null).signature(),
        FailureSignature.of("Bash", eof, "python model_comparison.py", null).signature());
  }

  @Test
  void warningLinesAreSkippedForTheFirstRealOne() {
    assertEquals("npm err! code e404", FailureSignature.errorClass("npm WARN deprecated x@1.0.0\nnpm ERR! code E404"));
    assertEquals("warning: only warnings", FailureSignature.errorClass("warning: only warnings"));
  }

  /** The real pre-commit hook output of the spotter sample reached the transcript with escaped line breaks. */
  @Test
  void escapedLineBreaksSplitLines() {
    String format = "Pre-commit validation failed:\\n\\n[FORMAT] Code is not formatted.\\nRun 'mix format' to fix.";
    String credo = "Pre-commit validation failed:\\n\\n[CREDO]\\nChecking 88 source files (this might take a while) ...\n\n"
        + "  Refactoring opportunities\n";
    String dialyzer = "Pre-commit validation failed:\\n\\n[DIALYZER]\\nFinding suitable PLTs\nChecking PLT...\n";
    assertEquals("pre-commit validation failed:", FailureSignature.errorClass(format));
    String commit = "git add -A && git commit -m \"feat: x\"";
    assertEquals(
        FailureSignature.of("Bash", format, commit, null).signature(),
        FailureSignature.of("Bash", credo, commit, null).signature());
    assertEquals(
        FailureSignature.of("Bash", format, commit, null).signature(),
        FailureSignature.of("Bash", dialyzer, commit, null).signature());
    assertEquals("cmd:git add", FailureSignature.of("Bash", dialyzer, commit, null).inputShape());
    // but a Windows path keeps its \n: "C:\new\file" is a directory, not a line break
    assertEquals("error at <path> not found", FailureSignature.errorClass("Error at C:\\new\\file.txt not found"));
  }

  @Test
  void theClassIsCapped() {
    assertEquals(160, FailureSignature.errorClass("x".repeat(500)).length());
  }

  // ---------------------------------------------------------------------------- input shape

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = " => ",
      value = {
        "git push origin main => cmd:git push",
        "git commit -m \"fix: things\" => cmd:git commit",
        "FOO=1 npm run test => cmd:npm run",
        "A=1 B=2 cargo build --release => cmd:cargo build",
        "/usr/bin/python3 x.py => cmd:python3",
        "python x.py => cmd:python",
        "python3 -m pytest tests/ => cmd:python3 pytest",
        "npm test => cmd:npm test",
        "./gradlew build => cmd:gradlew build",
        "node_modules/.bin/jest --watch => cmd:jest",
        "'  git   status  ' => cmd:git status",
        "kubectl get pods -n x => cmd:kubectl get",
        "docker compose up -d => cmd:docker compose",
        "ls => cmd:ls",
        "bash -c \"npm test\" => cmd:bash",
        "mix phx.server 2>&1 | head -80 => cmd:mix",
        "cd /x && make => cmd:make",
        "cd /home/marco/projects/spotter && mix test test/x_test.exs => cmd:mix test",
        "cd /x; make => cmd:make",
        "cd /x ; FOO=1 make all => cmd:make all",
        "source venv/bin/activate && pytest -q => cmd:pytest",
        "cd /x => cmd:cd",
        "git -C /repo status => cmd:git status",
        "sudo apt-get install x => cmd:apt-get install",
        "env FOO=1 make => cmd:make",
        "timeout 30 npm test => cmd:npm test",
        "timeout 2m cargo test => cmd:cargo test",
        "nice -n 10 make => cmd:make",
        "time ./build.sh => cmd:build.sh",
        "sudo => cmd:sudo",
        "cat /etc/hosts => cmd:cat",
        "bd sync --from-main => cmd:bd sync",
        "source lib/trace_context.sh && \\ spotter_rand_hex 16 => cmd:spotter_rand_hex",
        "make \\ all => cmd:make all",
      })
  void commandShapes(String command, String shape) {
    assertEquals(shape, FailureSignature.inputShape(command, null));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/home/marco/projects/spotter/lib/app.ex | file:.ex",
        "/a/b/Component.TSX | file:.tsx",
        "C:\\src\\Main.java | file:.java",
        "/a/b/Makefile | file:(none)",
        "archive.tar.gz | file:.gz",
      })
  void fileShapes(String path, String shape) {
    assertEquals(shape, FailureSignature.inputShape(null, path));
  }

  /** ae4a77f8: "source spotter-plugin/scripts/lib/trace_context.sh && \" and on the next line "spotter_rand_hex 16 | grep ...". */
  @Test
  void aLineContinuationIsNoProgram() {
    assertEquals(
        "cmd:spotter_rand_hex",
        FailureSignature.inputShape("source spotter-plugin/scripts/lib/trace_context.sh && \\\nspotter_rand_hex 16 | grep -E x", null));
  }

  @Test
  void aCommandIsTheShapeEvenWithAFile() {
    assertEquals("cmd:make", FailureSignature.inputShape("make", "/a/b.c"));
  }

  @Test
  void noInputHasNoShape() {
    assertEquals("", FailureSignature.inputShape(null, null));
    assertEquals("", FailureSignature.inputShape("  ", ""));
  }

  // ----------------------------------------------------------------------------- signatures

  @Test
  void theSameFailureInAnotherDirectoryOrLineIsTheSameSignature() {
    FailureSignature a = FailureSignature.of(
        "Bash", "Exit code 1\n/home/marco/a/lib/x.ex:12:5: undefined function foo/1", "mix compile", null);
    FailureSignature b = FailureSignature.of(
        "Bash", "Exit code 1\n/home/anna/b/lib/y.ex:140:9: undefined function foo/1", "cd /b && mix compile", null);
    FailureSignature c = FailureSignature.of(
        "Bash", "Exit code 1\n/srv/c/z.ex:1:1: undefined function foo/1", "MIX_ENV=test mix compile --force", null);
    assertEquals(a.signature(), c.signature());
    assertEquals(a, c);
    assertEquals("exit code 1: <path>:#:#: undefined function foo/#", a.errorClass());
    assertEquals(16, a.signature().length());
    assertTrue(a.signature().matches("[0-9a-f]{16}"));
    assertEquals(a.signature(), b.signature());
  }

  @Test
  void theSameEditFailureOnAnotherFileOfTheSameKindIsTheSameSignature() {
    FailureSignature a = FailureSignature.of(
        "Edit", "<tool_use_error>String to replace not found in file.\nString:   defp do_setup do", null, "/w/a/lib/x.ex");
    FailureSignature b = FailureSignature.of(
        "Edit", "<tool_use_error>String to replace not found in file.\nString:   defp get_current_trace_id do", null,
        "/w/b/lib/otel.ex");
    assertEquals(a.signature(), b.signature());
    assertEquals("file:.ex", a.inputShape());
  }

  @Test
  void anotherToolIsAnotherSignature() {
    assertNotEquals(
        FailureSignature.of("Read", "<tool_use_error>File does not exist.</tool_use_error>", null, "/a/x.ex").signature(),
        FailureSignature.of("Edit", "<tool_use_error>File does not exist.</tool_use_error>", null, "/a/x.ex").signature());
  }

  @Test
  void anotherErrorClassIsAnotherSignature() {
    assertNotEquals(
        FailureSignature.of("Bash", "Exit code 1\nnpm ERR! missing script: test", "npm run test", null).signature(),
        FailureSignature.of("Bash", "Exit code 1\nnpm ERR! code ELIFECYCLE", "npm run test", null).signature());
  }

  @Test
  void anotherInputShapeIsAnotherSignature() {
    assertNotEquals(
        FailureSignature.of("Bash", "Exit code 1", "npm test", null).signature(),
        FailureSignature.of("Bash", "Exit code 1", "cargo test", null).signature());
    assertNotEquals(
        FailureSignature.of("Edit", "String to replace not found in file.", null, "/a/x.ts").signature(),
        FailureSignature.of("Edit", "String to replace not found in file.", null, "/a/x.py").signature());
  }

  @Test
  void theSignatureIsStableAcrossRunsAndMachines() {
    // a fixed value: a change here re-keys every failure in users' stores (and needs a rebuild)
    assertEquals(
        "exit code 1", FailureSignature.of("Bash", "Exit code 1", "npm test", null).errorClass());
    assertEquals(
        FailureSignature.of("Bash", "Exit code 1", "npm test", null).signature(),
        FailureSignature.of("Bash", "Exit code 1", "npm   test  ", null).signature());
  }

  @Test
  void anUnknownToolIsNamedSo() {
    assertEquals("unknown", FailureSignature.of(null, "boom", null, null).tool());
  }
}
