package dev.pgdeck.app.ingest;

import dev.pgdeck.remote.sandbox.SandboxHost;
import javax.sql.DataSource;

/** With no host configured, the wizard writes to the sandbox's {@code analytics} warehouse. */
public final class SandboxIngestTarget implements IngestTarget {
    private final SandboxHost sandbox;

    public SandboxIngestTarget(SandboxHost sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public String description() {
        return "the sandbox's analytics database";
    }

    @Override
    public DataSource warehouse() {
        return sandbox.database("analytics");
    }
}
