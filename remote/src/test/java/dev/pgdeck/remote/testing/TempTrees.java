package dev.pgdeck.remote.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Removes a test's scratch tree (clusters, archives, backups: hundreds of MB each) so runs do not fill /tmp. */
public final class TempTrees {
    private TempTrees() {}

    public static void delete(Path root) throws IOException, InterruptedException {
        if (root != null && Files.exists(root)) {
            new ProcessBuilder("rm", "-rf", "--", root.toString()).inheritIO().start().waitFor();
        }
    }
}
