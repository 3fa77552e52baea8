package dev.pipeline.cli.bench;

/**
 * One throughput figure: {@code records} replies seen in {@code seconds}.
 *
 * @param name what ran, e.g. {@code b.eos}
 */
record Measurement(String name, long records, double seconds, double recordsPerSecond) {

    static Measurement of(String name, long records, long nanos) {
        double seconds = nanos / 1e9;
        return new Measurement(name, records, round(seconds), round(seconds > 0 ? records / seconds : 0));
    }

    static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
