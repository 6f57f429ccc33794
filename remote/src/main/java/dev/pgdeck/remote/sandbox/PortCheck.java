package dev.pgdeck.remote.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Whether a loopback TCP port is free, and the first free one from a start. */
final class PortCheck {
    private PortCheck() {}

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int firstFreeFrom(int start) throws SandboxException {
        for (int port = start; port < start + 100; port++) {
            if (isFree(port)) {
                return port;
            }
        }
        throw new SandboxException("No free TCP port in " + start + "-" + (start + 99)
                + " for the sandbox's PostgreSQL; set PGDECK_SANDBOX_PORT to a free one.");
    }
}
