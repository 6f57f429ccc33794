package dev.pgdeck.remote.probe;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs several host commands in one shell invocation, i.e. one round trip over SSH, and gives each its own exit
 * status, standard output and standard error. Round trips dominate a refresh over SSH; the commands themselves take
 * milliseconds. Each command's output is framed by markers carrying a random token, so no output can fake a frame;
 * its standard error goes to a temporary file on the host and is printed after its status. A command that fails (or
 * is not installed) does not stop the ones after it.
 */
public final class CommandBatch {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One command of the batch, under a key its result is found by. */
    public record Part(String key, HostCommand command) {
    }

    /** What one command of the batch left behind. {@code exitCode} -1: the batch ended before it ran. */
    public record PartResult(String key, HostCommand command, int exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** Exit status 127 is the shell's "command not found". */
        public boolean notInstalled() {
            return exitCode == 127;
        }

        public String describeFailure() {
            if (exitCode == -1) {
                return "`" + command.brief() + "` did not run: " + stderr;
            }
            return new CommandResult(command, exitCode, stdout, stderr, Duration.ZERO).describeFailure();
        }
    }

    private CommandBatch() {}

    /** The results by key, in the order of {@code parts}. Throws only when the batch as a whole could not run. */
    public static Map<String, PartResult> run(HostShell shell, List<Part> parts, Duration timeout)
            throws HostCommandException {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        String token = "pgdeck-" + HexFormat.of().formatHex(bytes);
        CommandResult result = shell.run(HostCommand.of("sh", "-c", script(token, parts)), timeout);
        return parse(token, parts, result);
    }

    static String script(String token, List<Part> parts) {
        StringBuilder sb = new StringBuilder();
        sb.append("d=$(mktemp -d) || exit 97\ntrap 'rm -rf \"$d\"' EXIT\n");
        for (int i = 0; i < parts.size(); i++) {
            sb.append("printf '%s\\n' '").append(token).append('<').append(i).append("'\n");
            sb.append("{ ").append(parts.get(i).command().shellLine()).append("\n} </dev/null 2>\"$d/e\"\n");
            sb.append("printf '\\n%s%d\\n' '").append(token).append('>').append(i).append(":' \"$?\"\n");
            sb.append("cat \"$d/e\"\n");
            sb.append("printf '\\n%s\\n' '").append(token).append('.').append(i).append("'\n");
        }
        return sb.toString();
    }

    static Map<String, PartResult> parse(String token, List<Part> parts, CommandResult result) {
        String out = result.stdout();
        Map<String, PartResult> results = new LinkedHashMap<>();
        int pos = 0;
        boolean broken = false;
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            String begin = token + "<" + i + "\n";
            String status = "\n" + token + ">" + i + ":";
            String end = "\n" + token + "." + i + "\n";
            int b = broken ? -1 : out.indexOf(begin, pos);
            int s = b < 0 ? -1 : out.indexOf(status, b + begin.length());
            int sEnd = s < 0 ? -1 : out.indexOf('\n', s + status.length());
            int e = sEnd < 0 ? -1 : out.indexOf(end, sEnd);
            if (e < 0) {
                broken = true;
                String why = result.exitCode() == 97 ? "the host could not create a temporary directory (mktemp -d)"
                        : "the batch ended early (exit status " + result.exitCode() + ")"
                        + (result.stderr().isBlank() ? "" : ": " + result.stderr().strip());
                results.put(part.key(), new PartResult(part.key(), part.command(), -1, "", why));
                continue;
            }
            int code;
            try {
                code = Integer.parseInt(out.substring(s + status.length(), sEnd));
            } catch (NumberFormatException ex) {
                code = -1;
            }
            String stdout = out.substring(b + begin.length(), s);
            String stderr = out.substring(sEnd + 1, e);
            results.put(part.key(), new PartResult(part.key(), part.command(), code, stdout, stderr));
            pos = e + end.length() - 1;
        }
        return results;
    }
}
