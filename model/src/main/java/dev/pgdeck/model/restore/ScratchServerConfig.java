package dev.pgdeck.model.restore;

import dev.pgdeck.model.ConfQuote;
import java.util.regex.Pattern;

/**
 * The configuration a drill's scratch server gets on hosts that keep postgresql.conf, pg_hba.conf and pg_ident.conf
 * outside the data directory (Debian's postgresql-common: {@code /etc/postgresql/<version>/<cluster>/}), so that a
 * base backup carries none and {@code pg_ctl -D <scratch> start} would find no configuration. The host's own file is
 * never used: it sets {@code data_directory} to the live cluster. This one is minimal and closed: the Unix socket
 * only (no TCP), local connections of the server's own OS user only (peer), no archiving, English messages (the
 * executor reads the log). The port, archive_mode and the target follow in postgresql.auto.conf, which is read last.
 *
 * @param socketDir the Unix socket directory the host's SQL commands connect through (e.g. /var/run/postgresql)
 * @param serverUser the OS user the server runs as, which is also the database user pgdeck connects as
 */
public record ScratchServerConfig(String socketDir, String serverUser) {
    /** A user name pg_hba.conf takes as a plain word (no quoting, no keywords' + or @ prefixes). */
    private static final Pattern HBA_WORD = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");

    public ScratchServerConfig {
        if (socketDir == null || !socketDir.startsWith("/") || socketDir.indexOf('\n') >= 0
                || socketDir.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the Unix socket directory for a drill's scratch server must be an"
                    + " absolute path on one line, not \"" + socketDir + "\" (set socketDir in the host's variables)");
        }
        if (serverUser == null || !HBA_WORD.matcher(serverUser).matches()) {
            throw new IllegalArgumentException("the server's OS user must be a plain name (letters, digits, _ . -),"
                    + " not \"" + serverUser + "\" (set serverUser in the host's variables)");
        }
    }

    public String postgresqlConf(String stamp) {
        return "# pgdeck drill " + stamp + ": a minimal configuration for this scratch copy only. The host's own\n"
                + "# configuration lives outside the data directory and points at the live cluster: it is not used.\n"
                + "# port, archive_mode and the recovery target follow in postgresql.auto.conf.\n"
                + "listen_addresses = ''\n"
                + "unix_socket_directories = " + ConfQuote.quote(socketDir) + "\n"
                + "archive_mode = off\n"
                + "lc_messages = 'C'\n";
    }

    public String hbaConf() {
        return "# pgdeck drill: only the server's own OS user, over the Unix socket (peer); no TCP\n"
                + "local all " + serverUser + " peer\n";
    }

    public String identConf() {
        return "# pgdeck drill: no user name maps\n";
    }
}
