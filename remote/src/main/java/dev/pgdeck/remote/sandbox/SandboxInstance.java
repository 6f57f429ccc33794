package dev.pgdeck.remote.sandbox;

/** The sandbox's running instance {@code main}: where it listens and how it came up. */
public record SandboxInstance(String name, int port, String version, SandboxLayout layout, String binariesSource,
                              boolean builtNow) {
}
