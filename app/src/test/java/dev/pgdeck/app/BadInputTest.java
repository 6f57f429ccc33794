package dev.pgdeck.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13, finding 5: every bad input gets one clear line on stderr naming what was wrong, never a stack trace and
 * never exit status 0. Each case runs the CLI as its own process (java dev.pgdeck.app.Main, the launcher's main
 * class) with the test's class path, so the real exit status, the real stderr (loggers included) and the real
 * environment variables are what is checked. None of these may start the sandbox: what is wrong is found first.
 */
class BadInputTest {
    @TempDir
    static Path dir;

    static Stream<Arguments> cases() throws IOException {
        Path brokenConfig = Files.createDirectories(dir.resolve("broken/pgdeck"));
        Files.writeString(brokenConfig.resolve("hosts.json"), "{\"version\": 1, \"hosts\": [{\"name\": \"forge\","
                + " \"address\": \"forge\", \"port\": 22, \"user\": \"ryan\", \"profile\": \"seed002\",\n"
                + "  \"variables\": {\"metricsDir\": \"-delete\"}, \"instances\": [{\"name\": \"main\", \"port\": 5432}]}]}");
        String broken = brokenConfig.getParent().toString();
        Map<String, String> none = Map.of();
        return Stream.of(
                c("chart dau --size 0x0", none, "--size 0x0 is out of range"),
                c("chart dau --size 99999x99999", none, "--size 99999x99999 is out of range"),
                c("chart dau --size 1000x", none, "--size must look like 1000x600"),
                c("chart dau --size 1e3x600", none, "--size must look like 1000x600"),
                c("chart dau --csv /nonexistent-pgdeck-dir/dau.csv", none, "the directory /nonexistent-pgdeck-dir does not exist"),
                c("chart dau --png /nonexistent-pgdeck-dir/dau.png", none, "the directory /nonexistent-pgdeck-dir does not exist"),
                c("chart dau --csv /tmp", none, "is a directory"),
                c("chart nope", none, "unknown chart `nope`"),
                c("chart dau --interval hourly", none, "--interval must be day, week or month"),
                c("chart dau --from 2025-13-01", none, "--from"),
                c("chart", none, "Missing required parameter"),
                c("status", Map.of("PGDECK_SANDBOX_EVENTS", "lots"), "PGDECK_SANDBOX_EVENTS must be a whole number"),
                c("status", Map.of("PGDECK_SANDBOX_EVENTS", "5"), "PGDECK_SANDBOX_EVENTS: the sandbox takes 100 to"),
                c("status", Map.of("PGDECK_SANDBOX_EVENTS", "99999999999"), "PGDECK_SANDBOX_EVENTS: 99999999999 is out of range"),
                c("status", Map.of("PGDECK_SANDBOX_EVENTS", "9999999"), "PGDECK_SANDBOX_EVENTS: the sandbox takes 100 to 5000000 synthetic events, not 9999999"),
                c("status", Map.of("PGDECK_SANDBOX_PORT", "http"), "PGDECK_SANDBOX_PORT must be a whole number"),
                c("status", Map.of("PGDECK_SANDBOX_PORT", "0"), "PGDECK_SANDBOX_PORT: 0 is not a TCP port"),
                c("status", Map.of("PGDECK_SANDBOX_PORT", "70000"), "PGDECK_SANDBOX_PORT: 70000 is not a TCP port"),
                c("sandbox start", Map.of("PGDECK_SANDBOX_PORT", "-1"), "PGDECK_SANDBOX_PORT: -1 is not a TCP port"),
                c("chart dau", Map.of("PGDECK_SANDBOX_PORT", "99999"), "PGDECK_SANDBOX_PORT: 99999 is not a TCP port"),
                c("drill --latest --dry-run", Map.of("PGDECK_SANDBOX_EVENTS", "x"), "PGDECK_SANDBOX_EVENTS must be"),
                c("", Map.of("PGDECK_SANDBOX_PORT", "0"), "pgdeck: PGDECK_SANDBOX_PORT: 0 is not a TCP port"),
                c("status", Map.of("PGDECK_SANDBOX_ROOT", "/etc/hostname"), "is not writable (/etc/hostname is a file, not a directory)"),
                c("sandbox start", Map.of("PGDECK_SANDBOX_ROOT", "/proc/pgdeck-sandbox"), "The sandbox root /proc/pgdeck-sandbox is not writable"),
                c("status --host nope", none, "there is no host called \"nope\""),
                c("status", Map.of("XDG_CONFIG_HOME", broken), "variables.metricsDir: \"-delete\" is not an absolute path"),
                c("status --bogus", none, "Unknown option: '--bogus'"),
                c("drill --target-xid 99999999999 --dry-run", none, "target transaction id \"99999999999\" is larger than 4294967295"),
                c("restore --target-xid 99999999999 --dry-run", none, "is larger than 4294967295"),
                c("drill --target-xid 12ab --dry-run", none, "is not a transaction number"),
                c("drill --latest --scratch-port 0 --dry-run", none, "--scratch-port 0 is not a TCP port (1-65535)"),
                c("drill --latest --scratch-port 70000 --dry-run", none, "--scratch-port 70000 is not a TCP port (1-65535)"),
                c("drill --latest --scratch-port abc --dry-run", none, "--scratch-port"),
                c("drill --latest --timeline 0 --dry-run", none, "--timeline 0 is not a timeline"),
                c("restore --target-time yesterday --dry-run", none, "target time \"yesterday\" is not a time"),
                c("restore --target-lsn zz --dry-run", none, "target LSN \"zz\" is not a WAL location"),
                c("restore --latest --immediate --dry-run", none, "mutually exclusive"),
                c("restore --latest", none, "add --dry-run"),
                c("verify-backup --host sandbox --instance main --backup nope", none, "is not a base backup name"),
                c("verify-backup --host sandbox", none, "Missing required options"),
                c("nosuchcommand", none, "Unmatched argument"));
    }

    private static Arguments c(String args, Map<String, String> env, String expected) {
        return Arguments.of(args, env, expected);
    }

    @ParameterizedTest(name = "pgdeck {0} {1}")
    @MethodSource("cases")
    void oneClearLineAndANonZeroExit(String args, Map<String, String> env, String expected) throws Exception {
        Run run = pgdeck(args.isBlank() ? List.of() : Arrays.asList(args.split(" ")), env);

        assertNotEquals(0, run.exit, "exit status; stderr: " + run.err);
        String err = run.err.strip();
        assertEquals(1, err.lines().count(), "exactly one line on stderr:\n" + run.err);
        assertTrue(err.matches("pgdeck[ :].*"), err);
        assertTrue(err.contains(expected), "expected \"" + expected + "\" in: " + err);
        for (String output : List.of(run.err, run.out)) {
            assertFalse(output.contains("Exception") || output.contains("\tat "), "no stack trace: " + output);
        }
    }

    record Run(int exit, String out, String err) {
    }

    static Run pgdeck(List<String> args, Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xshare:auto", "-Djava.awt.headless=true", "-cp", classPath, Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> environment = new HashMap<>(env);
        builder.environment().putAll(environment);
        Process process = builder.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("pgdeck " + args + " did not end within 120 s");
        }
        return new Run(process.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
