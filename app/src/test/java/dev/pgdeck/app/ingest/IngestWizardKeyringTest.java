package dev.pgdeck.app.ingest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.common.TaskRunner;
import dev.pgdeck.remote.testing.EventStore;
import dev.pgdeck.remote.testing.FakePostHog;
import dev.pgdeck.remote.testing.TestKeyring;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wizard's OS-keyring option, driven synchronously against a real Secret Service and the fake PostHog: a typed key
 * is saved only once PostHog accepted it, and the next connection needs no key typed.
 */
class IngestWizardKeyringTest {
    private static final TaskRunner NOW = new TaskRunner() {
        @Override
        public <T> Cancellable run(String name, java.util.concurrent.Callable<T> work,
                                   java.util.function.Consumer<T> onSuccess,
                                   java.util.function.Consumer<Throwable> onFailure) {
            try {
                onSuccess.accept(work.call());
            } catch (Exception e) {
                onFailure.accept(e);
            }
            return () -> { };
        }
    };

    @Test
    void aKeyThatWorkedIsSavedAndUsedNextTime(@TempDir Path dir) throws Exception {
        EventStore.InMemory events = new EventStore.InMemory();
        events.add(FakePostHog.event("0195aaaa-0000-7000-8000-000000000001", "$pageview",
                Instant.parse("2025-03-01T10:00:00Z"), "user-1", "https://shop.example.com/"));
        try (TestKeyring service = new TestKeyring(dir); FakePostHog posthog = new FakePostHog(events)) {
            IngestWizardModel first = wizard(service, posthog);
            first.typedKeyProperty().set("phx_wrong");
            first.testConnection();
            assertTrue(first.connectionFailedProperty().get(), first.connectionMessageProperty().get());
            first.typedKeyProperty().set(FakePostHog.KEY);
            first.testConnection();
            assertTrue(first.connectionOkProperty().get(), first.connectionMessageProperty().get());
            assertTrue(first.connectionMessageProperty().get().endsWith("The key is saved in the OS keyring."),
                    first.connectionMessageProperty().get());

            IngestWizardModel next = wizard(service, posthog);
            next.testConnection();
            assertTrue(next.connectionOkProperty().get(), next.connectionMessageProperty().get());
            assertFalse(next.connectionMessageProperty().get().contains("saved"),
                    next.connectionMessageProperty().get());

            IngestWizardModel otherProject = wizard(service, posthog);
            otherProject.projectIdProperty().set("43");
            otherProject.testConnection();
            assertTrue(otherProject.connectionFailedProperty().get());
            assertTrue(otherProject.connectionMessageProperty().get().contains("holds no PostHog key"),
                    otherProject.connectionMessageProperty().get());
        }
    }

    private static IngestWizardModel wizard(TestKeyring service, FakePostHog posthog) {
        IngestWizardModel m = new IngestWizardModel(null, NOW, Runnable::run, Instant::now, service.keyring());
        m.postHogUrlProperty().set(posthog.uri().toString());
        m.projectIdProperty().set("42");
        m.useKeyringProperty().set(true);
        assertTrue(m.canTestConnection().get(), "the keyring option stands in for a key");
        return m;
    }
}
