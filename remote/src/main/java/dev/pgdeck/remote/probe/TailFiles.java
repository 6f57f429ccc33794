package dev.pgdeck.remote.probe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Splits the output of {@code find ... -exec tail -v ... {} +} into file name -> content. One {@code tail} reads many
 * files: a process per file ({@code -exec cat {} ;}) costs milliseconds each, and a host keeps hundreds of backup
 * history files and manifests (the refresh benchmark spent most of its time forking them). GNU and busybox tail
 * print {@code ==> PATH <==} before each file and a newline between files.
 *
 * <p>Only header lines naming a path that {@code isName} accepts start a file, so content cannot fake a header unless
 * it holds a whole such line (backup history files, timeline histories and manifests never do).
 */
final class TailFiles {
    private static final String OPEN = "==> ";
    private static final String CLOSE = " <==";

    private TailFiles() {}

    /**
     * @param keyOf the key a file is found by, from its path as tail printed it
     * @param isName which header paths are files of this listing
     */
    static Map<String, String> split(String out, Predicate<String> isName,
                                     Function<String, String> keyOf) {
        Map<String, String> files = new LinkedHashMap<>();
        String key = null;
        int contentStart = -1;
        int lineStart = 0;
        while (lineStart < out.length()) {
            int lineEnd = out.indexOf('\n', lineStart);
            int end = lineEnd < 0 ? out.length() : lineEnd;
            String path = header(out, lineStart, end, isName);
            if (path != null) {
                if (key != null) {
                    files.put(key, content(out, contentStart, lineStart));
                }
                key = keyOf.apply(path);
                contentStart = Math.min(out.length(), end + 1);
            }
            lineStart = end + 1;
        }
        if (key != null) {
            files.put(key, out.substring(contentStart));
        }
        return files;
    }

    /** The last path component: a WAL archive file's name. */
    static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The last two path components: {@code <backup dir>/backup_manifest}. */
    static String lastTwo(String path) {
        int last = path.lastIndexOf('/');
        int before = last <= 0 ? -1 : path.lastIndexOf('/', last - 1);
        return path.substring(before + 1);
    }

    private static String header(String out, int start, int end, Predicate<String> isName) {
        if (end - start < OPEN.length() + CLOSE.length() || !out.startsWith(OPEN, start)
                || !out.startsWith(CLOSE, end - CLOSE.length())) {
            return null;
        }
        String path = out.substring(start + OPEN.length(), end - CLOSE.length());
        return isName.test(path) ? path : null;
    }

    /** A file's text runs to the newline tail put before the next header. */
    private static String content(String out, int start, int nextHeader) {
        int end = nextHeader > start && out.charAt(nextHeader - 1) == '\n' ? nextHeader - 1 : nextHeader;
        return out.substring(start, Math.max(start, end));
    }
}
