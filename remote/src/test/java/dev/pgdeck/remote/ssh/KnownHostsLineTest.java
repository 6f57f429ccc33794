package dev.pgdeck.remote.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Host patterns and markers as sshd(8) describes them. */
class KnownHostsLineTest {
    private static final String KEY = " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
    private static final Path FILE = Path.of("known_hosts");

    private static KnownHostsLine line(String text) {
        return KnownHostsLine.parse(FILE, 1, text);
    }

    @Test
    void wildcardsNegationAndPorts() {
        KnownHostsLine line = line("*.example.com,!bastion.example.com,db?.lan" + KEY);
        assertTrue(line.matches("db1.example.com"));
        assertTrue(line.matches("DB2.Example.COM"), "host names compare without case");
        assertFalse(line.matches("bastion.example.com"), "a matching negated pattern rules the line out");
        assertTrue(line.matches("db7.lan"));
        assertFalse(line.matches("db10.lan"));
        assertFalse(line("db1.lan" + KEY).matches("[db1.lan]:2222"), "a plain name is port 22 only");
        assertTrue(line("[db1.lan]:2222" + KEY).matches("[db1.lan]:2222"));
        assertTrue(line("[10.0.0.*]:2222" + KEY).matches("[10.0.0.5]:2222"));
        assertFalse(line("[10.0.0.*]:2222" + KEY).matches("[10.0.0.5]:22"));
    }

    @Test
    void markersAndSkippedLines() {
        assertEquals(KnownHostsLine.Marker.REVOKED, line("@revoked *" + KEY).marker());
        assertEquals(KnownHostsLine.Marker.CERT_AUTHORITY, line("@cert-authority *.lan" + KEY + " ca").marker());
        assertEquals(KnownHostsLine.Marker.NONE, line("db1" + KEY + " a comment").marker());
        assertNull(line("# a comment"));
        assertNull(line("   "));
        assertNull(line("@unknown-marker db1" + KEY));
        assertNull(line("db1 ssh-ed25519 not*base64"));
        assertNull(line("db1 ssh-ed25519"));
    }

    @Test
    void hashedNames() {
        // `ssh-keygen -H` of "db1.lan": HMAC-SHA1 keyed with the salt
        String hashed = "|1|" + java.util.Base64.getEncoder().encodeToString(new byte[20]) + "|";
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(new byte[20], "HmacSHA1"));
            hashed += java.util.Base64.getEncoder().encodeToString(mac.doFinal("db1.lan".getBytes()));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
        assertTrue(line(hashed + KEY).matches("db1.lan"));
        assertFalse(line(hashed + KEY).matches("db2.lan"));
        assertFalse(line("|1|bad|hash" + KEY).matches("db1.lan"));
    }
}
