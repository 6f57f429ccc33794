package dev.pgdeck.model.restore;

/** One pre-flight check with its result, as the wizard lists them. A FAIL blocks the restore. */
public record PreflightCheck(String name, Status status, String detail) {
    public enum Status { PASS, WARN, FAIL }

    public static PreflightCheck pass(String name, String detail) {
        return new PreflightCheck(name, Status.PASS, detail);
    }

    public static PreflightCheck warn(String name, String detail) {
        return new PreflightCheck(name, Status.WARN, detail);
    }

    public static PreflightCheck fail(String name, String detail) {
        return new PreflightCheck(name, Status.FAIL, detail);
    }

    public boolean failed() {
        return status == Status.FAIL;
    }
}
