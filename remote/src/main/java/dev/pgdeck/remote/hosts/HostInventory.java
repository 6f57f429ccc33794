package dev.pgdeck.remote.hosts;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.pgdeck.model.zfs.ZfsReplicaNames;
import dev.pgdeck.remote.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hosts the console manages, kept as JSON in the user's config directory ({@code $XDG_CONFIG_HOME/pgdeck/
 * hosts.json}). Every change is validated before it is written; a file that cannot be read is reported with its line
 * and column and left as it is. Nothing secret is accepted: a member such as {@code password} is refused.
 */
public final class HostInventory {
    public static final int VERSION = 1;
    private static final ObjectMapper READER = Json.mapper().copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** The file's shape. */
    record Document(int version, List<HostEntry> hosts) {
    }

    private final Path file;
    private final List<HostEntry> hosts;

    private HostInventory(Path file, List<HostEntry> hosts) {
        this.file = file;
        this.hosts = new ArrayList<>(hosts);
    }

    /** {@code $XDG_CONFIG_HOME/pgdeck/hosts.json}, or {@code ~/.config/pgdeck/hosts.json}. */
    public static Path defaultFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("pgdeck").resolve("hosts.json");
    }

    /** Reads the inventory; a missing file is an empty inventory. */
    public static HostInventory load(Path file) throws InventoryException {
        if (!Files.exists(file)) {
            return new HostInventory(file, List.of());
        }
        Document doc;
        try {
            doc = READER.readValue(file.toFile(), Document.class);
        } catch (UnrecognizedPropertyException e) {
            String member = e.getPropertyName();
            boolean secret = isSecret(member);
            throw new InventoryException(file + ", " + where(e.getLocation()) + ": unknown member \"" + member + "\""
                    + (secret ? ": pgdeck never stores secrets; give a key file (its passphrase is asked when needed)"
                    + " or use ssh-agent" : ", expected one of " + e.getKnownPropertyIds()) + ". The file was not changed.", e);
        } catch (JacksonException e) {
            throw new InventoryException(file + ", " + where(e.getLocation()) + ": " + e.getOriginalMessage()
                    + ". The file was not changed.", e);
        } catch (IOException e) {
            throw new InventoryException("Could not read " + file + ": " + e.getMessage(), e);
        }
        if (doc == null) {
            throw new InventoryException(file + " is empty; expected {\"version\": 1, \"hosts\": [...]}");
        }
        if (doc.version() != VERSION) {
            throw new InventoryException(file + ": version " + doc.version() + " is not supported, expected " + VERSION);
        }
        List<HostEntry> hosts = doc.hosts() == null ? List.of() : doc.hosts();
        validateAll(hosts, file.toString());
        return new HostInventory(file, hosts);
    }

    public Path file() {
        return file;
    }

    public List<HostEntry> hosts() {
        return List.copyOf(hosts);
    }

    public Optional<HostEntry> find(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    /** Adds a host and saves; a duplicate name or an invalid field is refused and nothing changes. */
    public void add(HostEntry host) throws InventoryException {
        List<HostEntry> next = new ArrayList<>(hosts);
        next.add(host);
        commit(next);
    }

    /** Replaces the host called {@code name} (it may be renamed) and saves. */
    public void replace(String name, HostEntry host) throws InventoryException {
        List<HostEntry> next = new ArrayList<>(hosts);
        int i = indexOf(name);
        next.set(i, host);
        commit(next);
    }

    public void remove(String name) throws InventoryException {
        List<HostEntry> next = new ArrayList<>(hosts);
        next.remove(indexOf(name));
        commit(next);
    }

    private int indexOf(String name) throws InventoryException {
        for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new InventoryException("There is no host called \"" + name + "\" in " + file);
    }

    private void commit(List<HostEntry> next) throws InventoryException {
        validateAll(next, "host");
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), new Document(VERSION, next));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InventoryException("Could not write " + file + ": " + e.getMessage(), e);
        }
        hosts.clear();
        hosts.addAll(next);
    }

    /** Checks every host; the message names the host and the field. */
    public static void validateAll(List<HostEntry> hosts, String where) throws InventoryException {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < hosts.size(); i++) {
            HostEntry h = hosts.get(i);
            String label = where + " " + (i + 1) + (h != null && h.name() != null ? " (\"" + h.name() + "\")" : "");
            if (h == null) {
                throw new InventoryException(label + " is null, expected a host object");
            }
            validate(h, label);
            if (!names.add(h.name().toLowerCase(Locale.ROOT))) {
                throw new InventoryException(label + ": name: another host is already called \"" + h.name() + "\"");
            }
        }
    }

    public static void validate(HostEntry h, String label) throws InventoryException {
        if (h.name() == null || h.name().isBlank()) {
            throw new InventoryException(label + ": name: is missing");
        }
        if (h.name().equals("sandbox")) {
            throw new InventoryException(label + ": name: \"sandbox\" is the built-in sandbox host, choose another name");
        }
        if (h.address() == null || h.address().isBlank() || h.address().chars().anyMatch(Character::isWhitespace)) {
            throw new InventoryException(label + ": address: expected a host name or IP address without spaces, got "
                    + (h.address() == null ? "nothing" : "\"" + h.address() + "\""));
        }
        if (h.port() < 1 || h.port() > 65535) {
            throw new InventoryException(label + ": port: " + h.port() + " is not a TCP port (1-65535)");
        }
        if (h.user() == null || h.user().isBlank()) {
            throw new InventoryException(label + ": user: is missing");
        }
        if (h.profile() == null || !HostProfile.BUILT_IN.contains(h.profile())) {
            throw new InventoryException(label + ": profile: unknown profile "
                    + (h.profile() == null ? "(none given)" : "\"" + h.profile() + "\"") + ", expected one of "
                    + HostProfile.BUILT_IN);
        }
        if (h.jump() != null && (h.jump().isBlank() || h.jump().chars().anyMatch(Character::isWhitespace)
                || h.jump().startsWith("-"))) {
            throw new InventoryException(label + ": jump: expected [user@]host[:port] (as ssh -J takes it),"
                    + " without spaces, got \"" + h.jump() + "\"");
        }
        for (Map.Entry<String, String> variable : new java.util.TreeMap<>(h.variables()).entrySet()) {
            String problem = HostVariables.problem(variable.getKey(), variable.getValue());
            if (problem != null) {
                throw new InventoryException(label + ": " + problem);
            }
        }
        String replica = ZfsReplicaNames.problem(h.variables().get("zfsReplicaRoot"),
                h.variables().get("zfsReplicaHost"));
        if (replica != null) {
            throw new InventoryException(label + ": " + replica);
        }
        if (h.instances().isEmpty()) {
            throw new InventoryException(label + ": instances: at least one instance (name and port) is needed");
        }
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (int j = 0; j < h.instances().size(); j++) {
            HostEntry.InstanceEntry inst = h.instances().get(j);
            String at = label + ": instances[" + (j + 1) + "]";
            if (inst.name() == null || inst.name().isBlank()) {
                throw new InventoryException(at + ".name: is missing");
            }
            if (inst.port() < 1 || inst.port() > 65535) {
                throw new InventoryException(at + ".port: " + inst.port() + " is not a TCP port (1-65535)");
            }
            if (!names.add(inst.name())) {
                throw new InventoryException(at + ".name: \"" + inst.name() + "\" is listed twice");
            }
            if (!ports.add(inst.port())) {
                throw new InventoryException(at + ".port: " + inst.port() + " is already used by another instance");
            }
            if (inst.dbUser() != null && (inst.dbUser().isBlank()
                    || inst.dbUser().chars().anyMatch(Character::isWhitespace))) {
                throw new InventoryException(at + ".dbUser: expected a database user name without spaces, got \""
                        + inst.dbUser() + "\"");
            }
            if (inst.directTls() && inst.dbUser() == null) {
                throw new InventoryException(at + ".directTls: needs a dbUser (direct TLS is a JDBC connection)");
            }
            if (inst.sslRootCert() != null && !inst.directTls()) {
                throw new InventoryException(at + ".sslRootCert: only used with directTls: true");
            }
        }
    }

    private static boolean isSecret(String member) {
        return HostVariables.isSecret(member);
    }

    private static String where(JsonLocation location) {
        return location == null ? "at an unknown place"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
