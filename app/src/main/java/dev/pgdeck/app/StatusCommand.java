package dev.pgdeck.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print the overview of the hosts and their instances (the sandbox when no host is configured).")
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        System.out.println("{\"hosts\":[]}");
        return 0;
    }
}
