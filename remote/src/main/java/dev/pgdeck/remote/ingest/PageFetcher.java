package dev.pgdeck.remote.ingest;

import dev.pgdeck.remote.posthog.EventSource;
import dev.pgdeck.remote.posthog.Page;
import dev.pgdeck.remote.posthog.PostHogException;
import dev.pgdeck.remote.posthog.Position;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads pages ahead on its own thread while the engine writes the one before: HTTP, JSON parsing, validation and
 * encoding overlap with the warehouse's COPY, INSERT and commit. Bounded: {@code buffers} page buffers in all, one
 * being written, one being filled, the rest read ahead and waiting; the fetcher blocks when none is free.
 *
 * <p>Nothing read ahead is committed: the watermark moves only when the writer commits a page, so a run killed with
 * pages read ahead re-reads them next time. A failure to fetch reaches the writer in page order, after the pages
 * read before it.
 */
final class PageFetcher implements AutoCloseable {
    /** A page read ahead, or the failure that ended the reading. */
    private record Item(PageBuffer page, Exception failure) {
    }

    private final EventSource source;
    private final BlockingQueue<PageBuffer> free;
    private final BlockingQueue<Item> ready;
    private final Thread thread;
    private volatile boolean stopped;

    PageFetcher(EventSource source, Position from, int buffers) {
        this.source = source;
        this.free = new ArrayBlockingQueue<>(buffers);
        this.ready = new ArrayBlockingQueue<>(buffers + 1);
        for (int i = 0; i < buffers; i++) {
            free.add(new PageBuffer());
        }
        this.thread = new Thread(() -> read(from), "pgdeck-ingest-fetch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void read(Position from) {
        Position position = from;
        try {
            while (!stopped) {
                PageBuffer buffer = free.take();
                buffer.clear();
                Page page = source.fetch(position, buffer);
                buffer.page(page);
                ready.put(new Item(buffer, null));
                if (!page.more()) {
                    return;
                }
                position = page.next();
            }
        } catch (InterruptedException e) {
            // Closed by the writer: nothing more to read.
        } catch (Exception e) {
            if (!stopped) {
                ready.offer(new Item(null, e));
            }
        } catch (Error e) {
            ready.offer(new Item(null, new IllegalStateException("the page reader failed: " + e, e)));
            throw e;
        }
    }

    /**
     * The next page in order, or null when {@code waitMore} says to stop waiting (checked every 100 ms).
     * A fetch failure is thrown here, as the writer's own.
     */
    PageBuffer next(java.util.function.BooleanSupplier waitMore) throws PostHogException, InterruptedException {
        while (true) {
            Item item = ready.poll(100, TimeUnit.MILLISECONDS);
            if (item != null) {
                if (item.failure() instanceof PostHogException e) {
                    throw e;
                }
                if (item.failure() instanceof RuntimeException e) {
                    throw e;
                }
                if (item.failure() != null) {
                    throw new IllegalStateException(item.failure().getMessage(), item.failure());
                }
                return item.page();
            }
            if (!waitMore.getAsBoolean()) {
                return null;
            }
            if (!thread.isAlive() && ready.isEmpty()) {
                throw new IllegalStateException("the page reader ended without a last page");
            }
        }
    }

    /** Hands a written page's buffer back for the next page. */
    void recycle(PageBuffer buffer) {
        buffer.clear();
        free.add(buffer);
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
