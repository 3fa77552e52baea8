package dev.pipeline.core.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service in a process until SIGTERM or Ctrl-C: starts it on the calling (main) thread,
 * then blocks; the JVM's shutdown hook closes the service, and the main thread returns once it
 * has. A service that fails fatally on its own (see {@link Service#fatalError()}) is closed too,
 * and the run returns exit code 1. The service's {@code close()} must be bounded.
 */
public final class ServiceRunner {

    private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

    private ServiceRunner() {
    }

    /** Something with a start and an idempotent, bounded close. */
    public interface Service extends AutoCloseable {
        void start();

        @Override
        void close();

        /**
         * Completes with the cause when the service cannot go on (e.g. its transactional producer
         * was fenced by another instance); never completes otherwise.
         */
        default CompletableFuture<Throwable> fatalError() {
            return new CompletableFuture<>();
        }
    }

    /**
     * Builds and starts the service, then waits for a shutdown signal.
     *
     * @param name    for the log
     * @param factory builds the service (constructors only assign)
     * @param onStart called once started, e.g. to print the URLs
     * @return the process exit code: 0 after a shutdown signal, 1 after a fatal error
     */
    public static int runUntilShutdown(String name, Supplier<? extends Service> factory, Runnable onStart) throws InterruptedException {
        Service service = factory.get();
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            long began = System.nanoTime();
            log.info("{}: stopping", name);
            try {
                service.close();
            } finally {
                log.info("{}: stopped in {} ms", name, Duration.ofNanos(System.nanoTime() - began).toMillis());
                closed.countDown();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            service.start();
        } catch (RuntimeException e) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shutdownInProgress) {
                // a signal came during start-up: the hook closes the service too
            }
            service.close();
            throw e;
        }
        onStart.run();
        CompletableFuture<Void> signalled = CompletableFuture.runAsync(() -> awaitQuietly(closed));
        Object first;
        try {
            first = CompletableFuture.anyOf(signalled, service.fatalError()).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        if (first instanceof Throwable fatal) {
            log.error("{}: stopping after a fatal error: {}", name, fatal.toString());
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shutdownInProgress) {
                // the hook is closing the service already; close() is idempotent
            }
            service.close();
            return 1;
        }
        return 0;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
