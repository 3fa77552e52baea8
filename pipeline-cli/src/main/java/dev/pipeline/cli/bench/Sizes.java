package dev.pipeline.cli.bench;

/**
 * How many records each scenario sends: {@link #QUICK} finishes in a few minutes on 2 cores.
 *
 * @param producerPerfRecords  ProducerPerformance records
 * @param endToEndRecords      EndToEndLatency round trips
 * @param echoRecords          (b) and (f) requests timed
 * @param sleepSerialRecords   (c) serial requests timed
 * @param sleepParallelRecords (c) --concurrency 16 and queue-mode requests timed
 * @param scalingPerInstance   (d) requests timed per processor instance
 * @param latencyRate          (e) requests per second through ingest
 * @param latencyRecords       (e) requests timed
 */
record Sizes(int producerPerfRecords, int endToEndRecords, int echoRecords, int sleepSerialRecords, int sleepParallelRecords,
             int scalingPerInstance, double latencyRate, int latencyRecords) {

    static final Sizes QUICK = new Sizes(200_000, 2_000, 20_000, 300, 3_000, 400, 200, 1_500);
    static final Sizes FULL = new Sizes(1_000_000, 10_000, 200_000, 2_000, 20_000, 2_000, 1_000, 30_000);
}
