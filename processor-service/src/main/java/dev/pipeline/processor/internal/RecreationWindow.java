package dev.pipeline.processor.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Counts how often a worker had to rebuild its clients recently. A few rebuilds happen (a
 * transaction timed out during a pause); many in a short time mean another live instance uses
 * the same transactional ids, and the two would fence each other forever. One thread.
 */
final class RecreationWindow {

    private final int max;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> recent = new ArrayDeque<>();

    RecreationWindow(int max, Duration window, Clock clock) {
        this.max = max;
        this.window = window;
        this.clock = clock;
    }

    /** Records a rebuild; true when there were more than {@code max} within the window. */
    boolean tooMany() {
        Instant now = clock.instant();
        recent.addLast(now);
        while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(window))) {
            recent.removeFirst();
        }
        return recent.size() > max;
    }

    @Override
    public String toString() {
        return (max + 1) + " times within " + window;
    }
}
