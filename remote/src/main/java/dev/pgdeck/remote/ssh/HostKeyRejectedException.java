package dev.pgdeck.remote.ssh;

import dev.pgdeck.remote.host.HostCommandException;

/** The connection was refused because the host's key could not be trusted; the message is meant for the user. */
public final class HostKeyRejectedException extends HostCommandException {
    public enum Reason { UNKNOWN_DECLINED, CHANGED, REVOKED, UNSUPPORTED }

    private final Reason reason;

    public HostKeyRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
