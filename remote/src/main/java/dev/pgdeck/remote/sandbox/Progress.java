package dev.pgdeck.remote.sandbox;

/** Reports how far a long operation has come: a step in words and a fraction from 0 to 1 (or -1 if unknown). */
@FunctionalInterface
public interface Progress {
    Progress NONE = (step, fraction) -> {};

    void report(String step, double fraction);
}
