package dev.pipeline.cli.bench;

/**
 * One goal of the issue, checked against figures of the same run: a goal, not a test, so a miss
 * is reported, never fatal.
 *
 * @param name      what is compared, e.g. {@code EOS / ProducerPerformance}
 * @param measured  the ratio or value measured; NaN when a figure it needs was not measured
 * @param limit     the bound
 * @param atLeast   true: PASS when {@code measured >= limit}; false: PASS when {@code measured <= limit}
 * @param unit      {@code x} for a ratio, {@code ms} for a latency
 */
record Target(String name, double measured, double limit, boolean atLeast, String unit) {

    enum Verdict { PASS, MISS, NOT_MEASURED }

    /** A ratio goal: {@code numerator / denominator >= limit}. */
    static Target ratioAtLeast(String name, double numerator, double denominator, double limit) {
        double ratio = denominator > 0 && !Double.isNaN(numerator) && !Double.isNaN(denominator) ? numerator / denominator : Double.NaN;
        return new Target(name, ratio, limit, true, "x");
    }

    /** A ceiling: {@code value <= limit}. */
    static Target atMost(String name, double value, double limit, String unit) {
        return new Target(name, value, limit, false, unit);
    }

    Verdict verdict() {
        if (Double.isNaN(measured) || Double.isNaN(limit)) {
            return Verdict.NOT_MEASURED;
        }
        boolean pass = atLeast ? measured >= limit : measured <= limit;
        return pass ? Verdict.PASS : Verdict.MISS;
    }

    /** {@code >= 0.50 x} or {@code <= 132.0 ms}. */
    String goal() {
        return (atLeast ? ">= " : "<= ") + format(limit) + " " + unit;
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return Math.abs(value) >= 100 ? String.format("%.1f", value) : String.format("%.2f", value);
    }
}
