package dev.pipeline.cli.send;

import java.util.concurrent.locks.LockSupport;

/** Monotonic time and waiting, so pacing and progress can be stepped by a fake clock in tests. */
interface Ticker {

    /** The real clock: {@link System#nanoTime()} and parking the calling thread. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            long end = System.nanoTime() + nanos;
            for (long left = nanos; left > 0; left = end - System.nanoTime()) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while pacing");
                }
            }
        }
    };

    long nanoTime();

    void sleepNanos(long nanos) throws InterruptedException;
}
