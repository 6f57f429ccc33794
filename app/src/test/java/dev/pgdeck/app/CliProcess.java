package dev.pgdeck.app;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@code pgdeck} as a user's terminal does: a child JVM on the product's class path only (no test classes or
 * test resources, so the product's own logging configuration is the one in force), with its own home and config
 * directory so that neither the user's ~/.ssh nor their hosts.json is read.
 */
final class CliProcess {
    /** What the run left on the terminal. */
    record Result(int exit, String stdout, String stderr, Duration took) {}

    private CliProcess() {}

    static Result run(Path home, Duration limit, String... args) throws IOException, InterruptedException {
        return run(home, limit, null, args);
    }

    /**
     * As {@link #run(Path, Duration, String...)}, on a terminal: util-linux {@code script} gives pgdeck a pseudo
     * terminal (so {@code System.console()} is there) and types {@code typed} into it; stdout is the terminal's.
     */
    static Result runOnTerminal(Path home, Duration limit, String typed, String... args)
            throws IOException, InterruptedException {
        return run(home, limit, typed, args);
    }

    private static Result run(Path home, Duration limit, String typed, String... args)
            throws IOException, InterruptedException {
        Path config = home.resolve(".config");
        Files.createDirectories(config);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx256m", "-Duser.home=" + home, "-cp", productClassPath(),
                Main.class.getName()));
        command.addAll(Arrays.asList(args));
        if (typed != null) {
            command = List.of("script", "-q", "-e", "-c", dev.pgdeck.model.ShellQuote.join(command), "/dev/null");
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", config.toString());
        env.remove("SSH_AUTH_SOCK");
        Path out = Files.createTempFile(home, "stdout", ".txt");
        Path err = Files.createTempFile(home, "stderr", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        long started = System.nanoTime();
        Process process = builder.start();
        if (typed != null) {
            process.getOutputStream().write(typed.getBytes(StandardCharsets.UTF_8)); // waits in the terminal's buffer
            process.getOutputStream().flush();
        }
        process.getOutputStream().close(); // no terminal, no input: as in a cron job
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("pgdeck " + String.join(" ", args) + " still ran after " + limit + "; stderr: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), took);
    }

    /** This JVM's class path without test classes and test jars. */
    private static String productClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes/")
                        && !entry.endsWith("-tests.jar"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
