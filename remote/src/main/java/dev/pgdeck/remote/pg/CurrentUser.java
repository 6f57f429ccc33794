package dev.pgdeck.remote.pg;

import com.sun.security.auth.module.UnixSystem;

/** Who this JVM runs as. */
public final class CurrentUser {
    private CurrentUser() {}

    public static boolean isRoot() {
        return new UnixSystem().getUid() == 0;
    }
}
