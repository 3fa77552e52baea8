package dev.pipeline.cli.send;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A one-line progress display on a terminal's stderr, redrawn a few times a second: sent (with a
 * bar when the total is known), accepted, replied and the current send rate. Only used when
 * stderr is a terminal; it never writes to stdout, which carries the summary.
 *
 * <p>Threads: its own scheduler thread draws; {@link #render} is a pure step for tests.
 */
final class ProgressBar implements AutoCloseable {

    static final long PERIOD_MILLIS = 250;
    private static final int BAR_WIDTH = 24;

    private final Stats stats;
    private final OptionalLong total;
    private final PrintWriter terminal;
    private final Ticker ticker;
    private ScheduledExecutorService scheduler;
    /** the scheduler thread's state between two renders */
    private long lastSent;
    private long lastNanos;
    private double ratePerSecond;
    private int lastWidth;

    ProgressBar(Stats stats, OptionalLong total, PrintWriter terminal, Ticker ticker) {
        this.stats = stats;
        this.total = total;
        this.terminal = terminal;
        this.ticker = ticker;
    }

    void start() {
        lastNanos = ticker.nanoTime();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> Thread.ofPlatform().daemon().name("send-progress").unstarted(runnable));
        scheduler.scheduleAtFixedRate(this::draw, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private synchronized void draw() {
        if (scheduler == null) {
            return; // closed while this run waited for the lock
        }
        String line = render(stats.sentCount(), stats.acceptedCount(), stats.repliedCount(), ticker.nanoTime());
        int pad = Math.max(0, lastWidth - line.length());
        terminal.print("\r" + line + " ".repeat(pad));
        terminal.flush();
        lastWidth = line.length();
    }

    /** The line for these counts at {@code now}; updates the smoothed rate. */
    String render(long sent, long accepted, long replied, long now) {
        long elapsed = now - lastNanos;
        if (elapsed > 0) {
            double instant = (sent - lastSent) * 1e9 / elapsed;
            // smoothed over about a second, so the number can be read while it changes
            ratePerSecond = lastSent == 0 && ratePerSecond == 0 ? instant : 0.7 * ratePerSecond + 0.3 * instant;
            lastSent = sent;
            lastNanos = now;
        }
        StringBuilder line = new StringBuilder();
        if (total.isPresent() && total.getAsLong() > 0) {
            long all = total.getAsLong();
            int filled = (int) Math.min(BAR_WIDTH, sent * BAR_WIDTH / all);
            line.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%d/%d sent", sent, all));
        } else {
            line.append(sent).append(" sent");
        }
        line.append(String.format(Locale.ROOT, ", %d accepted, %d replied, %.0f/s", accepted, replied, ratePerSecond));
        return line.toString();
    }

    /** Prints a message on a line of its own; the progress line is redrawn below it on the next tick. */
    synchronized void message(String text) {
        terminal.print(clearing() + text + System.lineSeparator());
        terminal.flush();
        lastWidth = 0;
    }

    /** Stops drawing and clears the line. Idempotent. */
    @Override
    public synchronized void close() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        scheduler = null;
        terminal.print(clearing());
        terminal.flush();
    }

    /** What blanks the progress line, if one is drawn. */
    private String clearing() {
        return lastWidth == 0 ? "" : "\r" + " ".repeat(lastWidth) + "\r";
    }
}
