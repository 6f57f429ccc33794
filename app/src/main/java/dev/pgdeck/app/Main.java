package dev.pgdeck.app;


/**
 * The entry point of both the console and the headless commands. It does not extend Application, so headless
 * commands never load JavaFX.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int exit = PgdeckCommand.commandLine().execute(args);
        if (exit != PgdeckCommand.GUI_STARTED) {
            System.exit(exit);
        }
    }
}
