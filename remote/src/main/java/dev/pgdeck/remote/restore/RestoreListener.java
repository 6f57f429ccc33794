package dev.pgdeck.remote.restore;

/** Receives a restore's events on the executor's thread; must not block (hand them to the UI thread). */
@FunctionalInterface
public interface RestoreListener {
    RestoreListener NONE = event -> { };

    void on(RestoreEvent event);
}
