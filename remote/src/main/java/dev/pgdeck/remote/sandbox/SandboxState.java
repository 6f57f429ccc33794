package dev.pgdeck.remote.sandbox;

import java.time.Instant;

/** What a finished initialisation recorded in {@code sandbox.json}. */
public record SandboxState(String version, int port, int events, Instant initialisedAt, String binaries) {
}
