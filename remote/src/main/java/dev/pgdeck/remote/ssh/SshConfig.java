package dev.pgdeck.remote.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The part of the user's {@code ~/.ssh/config} (ssh_config(5)) pgdeck honours: {@code HostName}, {@code Port},
 * {@code User}, {@code IdentityFile} and {@code ProxyJump} of the {@code Host} blocks whose patterns match the name
 * pgdeck was given, the first value of each winning, as in OpenSSH. {@code Match} blocks and {@code Include} are not
 * read (their settings do not apply); every other keyword is ignored.
 */
public final class SshConfig {
    /** What the file says about one host name; null where it says nothing. */
    public record Host(String hostName, Integer port, String user, Path identityFile, String proxyJump) {
        static final Host NONE = new Host(null, null, null, null, null);
    }

    private record Block(List<String> patterns, List<String[]> settings) {}

    private final List<Block> blocks;
    private final Path home;

    private SshConfig(List<Block> blocks, Path home) {
        this.blocks = blocks;
        this.home = home;
    }

    /** {@code ~/.ssh/config} of this user. */
    public static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".ssh", "config");
    }

    /** Reads {@code file}; a missing file says nothing about any host. */
    public static SshConfig load(Path file) throws IOException {
        Path home = Path.of(System.getProperty("user.home"));
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new SshConfig(List.of(), home);
        }
        List<Block> blocks = new ArrayList<>();
        Block current = new Block(List.of("*"), new ArrayList<>()); // settings before the first Host apply to all
        blocks.add(current);
        for (String raw : lines) {
            List<String> words = words(raw);
            if (words.isEmpty()) {
                continue;
            }
            String keyword = words.get(0).toLowerCase(Locale.ROOT);
            if (keyword.equals("host")) {
                current = new Block(words.subList(1, words.size()), new ArrayList<>());
                blocks.add(current);
            } else if (keyword.equals("match")) {
                current = new Block(List.of(), new ArrayList<>()); // never matches: Match is not supported
                blocks.add(current);
            } else if (words.size() > 1) {
                current.settings().add(new String[] {keyword, words.get(1)});
            }
        }
        return new SshConfig(blocks, home);
    }

    /** The settings for {@code alias}, as {@code ssh alias} would use them. */
    public Host lookup(String alias) {
        String hostName = null;
        Integer port = null;
        String user = null;
        Path identityFile = null;
        String proxyJump = null;
        for (Block block : blocks) {
            if (!matches(block.patterns(), alias)) {
                continue;
            }
            for (String[] setting : block.settings()) {
                String value = setting[1];
                switch (setting[0]) {
                    case "hostname" -> hostName = hostName == null ? value.replace("%h", alias) : hostName;
                    case "port" -> port = port == null ? parsePort(value) : port;
                    case "user" -> user = user == null ? value : user;
                    case "identityfile" -> {
                        Path file = expand(value);
                        if (identityFile == null && Files.isRegularFile(file)) {
                            identityFile = file; // OpenSSH skips identity files that do not exist
                        }
                    }
                    case "proxyjump" -> proxyJump = proxyJump == null ? value : proxyJump;
                    default -> { } // not honoured by pgdeck
                }
            }
        }
        if ("none".equalsIgnoreCase(proxyJump)) {
            proxyJump = null;
        }
        return new Host(hostName, port, user, identityFile, proxyJump);
    }

    private static boolean matches(List<String> patterns, String alias) {
        String host = alias.toLowerCase(Locale.ROOT);
        boolean matched = false;
        for (String pattern : patterns) {
            String p = pattern.toLowerCase(Locale.ROOT);
            boolean negated = p.startsWith("!");
            if (KnownHostsLine.glob(negated ? p.substring(1) : p, host)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private Path expand(String value) {
        String v = value.replace("%d", home.toString());
        if (v.equals("~")) {
            return home;
        }
        return v.startsWith("~/") ? home.resolve(v.substring(2)) : Path.of(v);
    }

    private static Integer parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            return port >= 1 && port <= 65535 ? port : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The words of a line: {@code Keyword value}, {@code Keyword=value}, double quotes grouping; # starts a comment. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        String text = line.strip();
        if (text.startsWith("#")) {
            return words;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (!quoted && (Character.isWhitespace(c) || (c == '=' && words.isEmpty()))) {
                if (any) {
                    words.add(word.toString());
                    word.setLength(0);
                    any = false;
                }
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words;
    }
}
