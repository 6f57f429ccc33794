package dev.pgdeck.remote.warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Gives Flyway a fixed list of SQL files read through this module's own class loader: Flyway's classpath scanning
 * cannot see a named module's resources once the app runs from a jlink image.
 */
final class ClasspathListResourceProvider implements ResourceProvider {
    private final String folder;
    private final List<String> files;

    ClasspathListResourceProvider(String folder, List<String> files) {
        this.folder = folder;
        this.files = files;
    }

    @Override
    public LoadableResource getResource(String name) {
        return files.contains(name) ? new Sql(folder, name) : null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return files.stream()
                .filter(f -> f.startsWith(prefix) && Arrays.stream(suffixes).anyMatch(f::endsWith))
                .map(f -> (LoadableResource) new Sql(folder, f))
                .collect(Collectors.toList());
    }

    private static final class Sql extends LoadableResource {
        private final String folder;
        private final String name;

        Sql(String folder, String name) {
            this.folder = folder;
            this.name = name;
        }

        @Override
        public Reader read() {
            InputStream in = ClasspathListResourceProvider.class.getResourceAsStream("/" + folder + "/" + name);
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing resource /" + folder + "/" + name));
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() {
            return folder + "/" + name;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return getAbsolutePath();
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public String getRelativePath() {
            return name;
        }
    }
}
