package dev.pgdeck.remote.hosts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One host of the inventory. No secret is ever part of it: {@code keyFile} is the path of a private key (its
 * passphrase is asked when needed, never stored); null means ssh-agent.
 *
 * @param variables values that override the profile's (e.g. {@code version}, {@code resticRepo}, {@code pgBin}),
 *                  each typed and checked where it stands in hosts.json ({@link HostVariables})
 * @param jump      the host the SSH connection goes through, as OpenSSH's ProxyJump: {@code [user@]host[:port]}
 *                  (host may be a ~/.ssh/config alias), or a comma-separated chain of them; null: direct, or the
 *                  ProxyJump of ~/.ssh/config
 */
public record HostEntry(String name, String address, int port, String user, String keyFile, String profile,
                        @JsonDeserialize(using = HostVariables.Reader.class) Map<String, String> variables,
                        List<InstanceEntry> instances,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String jump) {
    /**
     * An instance on the host: its name (as the profile uses it in paths and units) and port.
     *
     * @param dbUser the database user pgdeck logs in as over JDBC (its password, if any, comes from ~/.pgpass or
     *               PGPASSFILE, never from here); null: SQL goes through the host's psql inside the shell batch
     * @param directTls connect JDBC straight to the host's address with {@code sslmode=verify-full} instead of through
     *                  an SSH port forward
     * @param sslRootCert the CA certificate for {@code directTls}; null: pgjdbc's default ~/.postgresql/root.crt
     */
    public record InstanceEntry(String name, int port, String dbUser,
                                @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean directTls, String sslRootCert) {
        public InstanceEntry {
            directTls = Boolean.TRUE.equals(directTls);
        }

        public InstanceEntry(String name, int port) {
            this(name, port, null, false, null);
        }

        /**
         * An instance as the host form edits it (name and port), keeping the database settings, which are edited in
         * hosts.json only, of the instance {@code before} had under that name.
         */
        public static InstanceEntry edited(String name, int port, List<InstanceEntry> before) {
            for (InstanceEntry old : before) {
                if (old.name().equals(name)) {
                    return new InstanceEntry(name, port, old.dbUser(), old.directTls(), old.sslRootCert());
                }
            }
            return new InstanceEntry(name, port);
        }

        /** Whether pgdeck reads this instance over JDBC (a database user is configured). */
        public boolean usesJdbc() {
            return dbUser != null;
        }
    }

    public HostEntry {
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        instances = instances == null ? List.of() : List.copyOf(instances);
    }

    /** A host reached directly (or as ~/.ssh/config says). */
    public HostEntry(String name, String address, int port, String user, String keyFile, String profile,
                     Map<String, String> variables, List<InstanceEntry> instances) {
        this(name, address, port, user, keyFile, profile, variables, instances, null);
    }
}
