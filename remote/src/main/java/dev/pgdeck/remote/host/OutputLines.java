package dev.pgdeck.remote.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Reads a command's output stream to its end, handing each line to a consumer as soon as it is complete (a last line
 * without a newline when the stream ends), and gives back the whole text exactly as it came.
 */
public final class OutputLines {
    private OutputLines() {}

    /** Drains {@code stream} on {@code executor}; {@code lines} may be null (the text only). */
    public static CompletableFuture<String> drain(InputStream stream, Consumer<String> lines, Executor executor) {
        return CompletableFuture.supplyAsync(() -> {
            try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                StringBuilder all = new StringBuilder();
                StringBuilder line = new StringBuilder();
                char[] buffer = new char[8192];
                for (int n; (n = reader.read(buffer)) >= 0; ) {
                    all.append(buffer, 0, n);
                    if (lines == null) {
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        char c = buffer[i];
                        if (c == '\n') {
                            lines.accept(stripCarriageReturn(line));
                            line.setLength(0);
                        } else {
                            line.append(c);
                        }
                    }
                }
                if (lines != null && line.length() > 0) {
                    lines.accept(stripCarriageReturn(line));
                }
                return all.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor);
    }

    /** One consumer for two streams read on two threads: lines never interleave mid-line. */
    public static Consumer<String> serialized(Consumer<String> lines) {
        Object lock = new Object();
        return line -> {
            synchronized (lock) {
                lines.accept(line);
            }
        };
    }

    private static String stripCarriageReturn(StringBuilder line) {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }
}
