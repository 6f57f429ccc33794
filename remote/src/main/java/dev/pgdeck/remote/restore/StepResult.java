package dev.pgdeck.remote.restore;

/** How one step ended, how long it took, and what it said (the failure, or a short result). */
public record StepResult(String name, Status status, double seconds, String detail) {
    public enum Status { DONE, FAILED, CANCELLED, NOT_RUN }
}
