package dev.pipeline.processor.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A liveness signal for a process without an HTTP port (a container's health check reads it):
 * every {@code interval} the file is rewritten with the current time in epoch seconds while
 * {@code healthy} says so, and deleted as soon as it does not, and on close. A reader therefore
 * sees no file (not healthy, or not running) or a time that stops advancing (the process hangs).
 *
 * <p>Threads: one daemon thread of its own writes the file; {@link #start} and {@link #close} may
 * be called from any thread. {@code healthy} is called on that daemon thread and must not block.
 */
public final class HealthFile implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthFile.class);

    private final Path file;
    private final Path temporary;
    private final Duration interval;
    private final BooleanSupplier healthy;
    private final Clock clock;
    private ScheduledExecutorService scheduler;
    private boolean closed;

    public HealthFile(Path file, Duration interval, BooleanSupplier healthy, Clock clock) {
        this.file = file.toAbsolutePath();
        this.temporary = this.file.resolveSibling(this.file.getFileName() + ".tmp");
        this.interval = interval;
        this.healthy = healthy;
        this.clock = clock;
    }

    /** Writes the file now and every interval from now on. */
    public synchronized void start() {
        if (closed || scheduler != null) {
            throw new IllegalStateException("health file " + file + " already " + (closed ? "closed" : "started"));
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("health-file").daemon().factory());
        scheduler.scheduleWithFixedDelay(this::beatQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One beat: writes the time if healthy, else deletes the file. Package-private for tests. */
    synchronized void beat() throws IOException {
        if (closed) {
            return;
        }
        if (healthy.getAsBoolean()) {
            // a reader never sees a half-written file: write aside, then rename over it
            Files.writeString(temporary, clock.instant().getEpochSecond() + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } else {
            Files.deleteIfExists(file);
        }
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (IOException | RuntimeException e) {
            // the check then fails on its own (stale or missing file); keep beating
            log.warn("cannot update the health file {}: {}", file, e.toString());
        }
    }

    /** Stops beating and deletes the file: a stopping process is not healthy. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            log.warn("cannot delete the health file {}: {}", file, e.toString());
        }
    }
}
