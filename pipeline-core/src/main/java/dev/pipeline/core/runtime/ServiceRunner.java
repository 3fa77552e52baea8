package dev.pipeline.core.runtime;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service in a process until SIGTERM or Ctrl-C: starts it on the calling (main) thread,
 * then blocks; the JVM's shutdown hook closes the service, and the main thread returns once it
 * has. The service's {@code close()} must be bounded.
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
    }

    /**
     * Builds and starts the service, then waits for a shutdown signal.
     *
     * @param name    for the log
     * @param factory builds the service (constructors only assign)
     * @param onStart called once started, e.g. to print the URLs
     */
    public static void runUntilShutdown(String name, Supplier<? extends Service> factory, Runnable onStart) throws InterruptedException {
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
            Runtime.getRuntime().removeShutdownHook(hook);
            service.close();
            throw e;
        }
        onStart.run();
        closed.await();
    }
}
