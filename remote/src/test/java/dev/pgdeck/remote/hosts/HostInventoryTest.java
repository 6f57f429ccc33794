package dev.pgdeck.remote.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostInventoryTest {
    @TempDir
    Path dir;

    private static HostEntry forge() {
        return new HostEntry("forge", "forge.holthome.net", 22, "ryan", "/home/ryan/.ssh/id_ed25519", "seed002",
                Map.of("version", "16"), List.of(new HostEntry.InstanceEntry("main", 5432),
                new HostEntry.InstanceEntry("dev", 5433), new HostEntry.InstanceEntry("analytics", 5434)));
    }

    private static HostEntry with(HostEntry h, int port, String profile, List<HostEntry.InstanceEntry> instances) {
        return new HostEntry(h.name(), h.address(), port, h.user(), h.keyFile(), profile, h.variables(), instances);
    }

    @Test
    void theConfigDirectoryFollowsXdg() {
        assertEquals(Path.of("/x/cfg/pgdeck/hosts.json"), HostInventory.defaultFile(Map.of("XDG_CONFIG_HOME", "/x/cfg")));
        assertTrue(HostInventory.defaultFile(Map.of()).endsWith(Path.of(".config/pgdeck/hosts.json")));
    }

    @Test
    void addEditRemoveArePersistedAndReadBack() throws Exception {
        Path file = dir.resolve("pgdeck/hosts.json");
        HostInventory inv = HostInventory.load(file);
        assertEquals(List.of(), inv.hosts());
        inv.add(forge());
        assertEquals(List.of(forge()), HostInventory.load(file).hosts());

        HostEntry moved = new HostEntry("forge2", "10.0.0.7", 2222, "ryan", null, "debian", Map.of(),
                List.of(new HostEntry.InstanceEntry("main", 5432)));
        inv.replace("forge", moved);
        assertEquals(List.of(moved), HostInventory.load(file).hosts());
        assertTrue(Files.readString(file).contains("\"address\" : \"10.0.0.7\""), Files.readString(file));

        inv.remove("forge2");
        assertEquals(List.of(), HostInventory.load(file).hosts());
        InventoryException e = assertThrows(InventoryException.class, () -> inv.remove("nope"));
        assertTrue(e.getMessage().contains("no host called \"nope\""), e.getMessage());
    }

    @Test
    void invalidFieldsAreNamedAndNothingIsWritten() throws Exception {
        Path file = dir.resolve("hosts.json");
        HostInventory inv = HostInventory.load(file);
        inv.add(forge());
        String before = Files.readString(file);

        InventoryException port = assertThrows(InventoryException.class,
                () -> inv.replace("forge", with(forge(), 70000, "seed002", forge().instances())));
        assertEquals("host 1 (\"forge\"): port: 70000 is not a TCP port (1-65535)", port.getMessage());

        InventoryException profile = assertThrows(InventoryException.class,
                () -> inv.replace("forge", with(forge(), 22, "centos", forge().instances())));
        assertTrue(profile.getMessage().contains("profile: unknown profile \"centos\", expected one of [seed002, debian,"),
                profile.getMessage());

        InventoryException duplicate = assertThrows(InventoryException.class, () -> inv.add(forge()));
        assertEquals("host 2 (\"forge\"): name: another host is already called \"forge\"", duplicate.getMessage());

        InventoryException instancePort = assertThrows(InventoryException.class, () -> inv.replace("forge",
                with(forge(), 22, "seed002", List.of(new HostEntry.InstanceEntry("main", 0)))));
        assertTrue(instancePort.getMessage().endsWith("instances[1].port: 0 is not a TCP port (1-65535)"),
                instancePort.getMessage());

        InventoryException samePort = assertThrows(InventoryException.class, () -> inv.replace("forge",
                with(forge(), 22, "seed002", List.of(new HostEntry.InstanceEntry("main", 5432),
                        new HostEntry.InstanceEntry("dev", 5432)))));
        assertTrue(samePort.getMessage().contains("instances[2].port: 5432 is already used"), samePort.getMessage());

        InventoryException secret = assertThrows(InventoryException.class, () -> inv.replace("forge",
                new HostEntry("forge", "forge", 22, "ryan", null, "seed002", Map.of("resticPassword", "hunter2"),
                        forge().instances())));
        assertTrue(secret.getMessage().contains("variables.resticPassword: pgdeck never stores secrets"),
                secret.getMessage());

        assertEquals(before, Files.readString(file), "a refused change writes nothing");
        assertEquals(List.of(forge()), inv.hosts());
    }

    @Test
    void malformedJsonIsReportedWithLineAndColumnAndTheFileIsKept() throws Exception {
        Path file = dir.resolve("hosts.json");
        String broken = "{\n  \"version\": 1,\n  \"hosts\": [ { \"name\": \"forge\", \"port\": 22,, } ]\n}\n";
        Files.writeString(file, broken);

        InventoryException e = assertThrows(InventoryException.class, () -> HostInventory.load(file));

        assertTrue(e.getMessage().startsWith(file + ", line 3, column "), e.getMessage());
        assertTrue(e.getMessage().endsWith("The file was not changed."), e.getMessage());
        assertEquals(broken, Files.readString(file));
    }

    @Test
    void aSecretInTheFileIsRefused() throws Exception {
        Path file = dir.resolve("hosts.json");
        Files.writeString(file, "{\"version\": 1, \"hosts\": [{\"name\": \"forge\", \"address\": \"forge\", \"port\": 22,"
                + " \"user\": \"ryan\", \"password\": \"hunter2\", \"profile\": \"seed002\","
                + " \"instances\": [{\"name\": \"main\", \"port\": 5432}]}]}");

        InventoryException e = assertThrows(InventoryException.class, () -> HostInventory.load(file));

        assertTrue(e.getMessage().contains("line 1, column"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown member \"password\": pgdeck never stores secrets"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), "the secret is not repeated in the message");
    }

    @Test
    void aWrongTypeNamesTheField() throws Exception {
        Path file = dir.resolve("hosts.json");
        Files.writeString(file, "{\"version\": 1, \"hosts\": [{\"name\": \"forge\", \"address\": \"forge\",\n"
                + " \"port\": \"twenty-two\", \"user\": \"ryan\", \"profile\": \"seed002\", \"instances\": []}]}");

        InventoryException e = assertThrows(InventoryException.class, () -> HostInventory.load(file));

        assertTrue(e.getMessage().contains("line 2, column"), e.getMessage());
        assertTrue(e.getMessage().contains("twenty-two"), e.getMessage());
    }

    @Test
    void databaseSettingsAreReadValidatedAndKeptWhenTheFormEditsAnInstance() throws Exception {
        Path file = dir.resolve("db.json");
        Files.writeString(file, "{\"version\": 1, \"hosts\": [{\"name\": \"forge\", \"address\": \"forge\","
                + " \"port\": 22, \"user\": \"ryan\", \"profile\": \"seed002\", \"instances\": ["
                + "{\"name\": \"main\", \"port\": 5432, \"dbUser\": \"pgdeck_ro\"},"
                + "{\"name\": \"dev\", \"port\": 5433, \"dbUser\": \"pgdeck_ro\", \"directTls\": true,"
                + " \"sslRootCert\": \"/etc/pgdeck/ca.crt\"}, {\"name\": \"analytics\", \"port\": 5434}]}]}");
        List<HostEntry.InstanceEntry> read = HostInventory.load(file).hosts().get(0).instances();
        assertEquals(new HostEntry.InstanceEntry("main", 5432, "pgdeck_ro", false, null), read.get(0));
        assertEquals(new HostEntry.InstanceEntry("dev", 5433, "pgdeck_ro", true, "/etc/pgdeck/ca.crt"), read.get(1));
        assertFalse(read.get(2).usesJdbc());

        assertEquals(new HostEntry.InstanceEntry("main", 6432, "pgdeck_ro", false, null),
                HostEntry.InstanceEntry.edited("main", 6432, read), "a new port keeps the database user");
        assertEquals(new HostEntry.InstanceEntry("new", 5435), HostEntry.InstanceEntry.edited("new", 5435, read));
        Path copy = dir.resolve("copy.json");
        Files.copy(file, copy);
        HostInventory inv = HostInventory.load(copy);
        inv.replace("forge", inv.hosts().get(0));
        String saved = Files.readString(copy);
        assertEquals(1, saved.split("directTls", -1).length - 1, "only the instance that uses it: " + saved);
        assertEquals(read, HostInventory.load(copy).hosts().get(0).instances(), "saved and read back unchanged");

        Files.writeString(file, Files.readString(file).replace("\"directTls\": true,", ""));
        InventoryException tls = assertThrows(InventoryException.class, () -> HostInventory.load(file));
        assertTrue(tls.getMessage().contains("instances[2].sslRootCert: only used with directTls: true"),
                tls.getMessage());
        Files.writeString(file, Files.readString(file).replace("\"dbUser\": \"pgdeck_ro\"}", "\"dbUser\": \"a b\"}"));
        InventoryException user = assertThrows(InventoryException.class, () -> HostInventory.load(file));
        assertTrue(user.getMessage().contains("instances[1].dbUser: expected a database user name without spaces"),
                user.getMessage());
    }
}
