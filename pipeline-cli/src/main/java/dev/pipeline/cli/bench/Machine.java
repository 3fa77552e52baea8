package dev.pipeline.cli.bench;

import java.lang.management.ManagementFactory;

/** Where the figures came from: they mean little without it. */
record Machine(int cores, long memoryMb, String java, String vm, String os) {

    static Machine current() {
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() / (1024 * 1024) : -1;
        return new Machine(Runtime.getRuntime().availableProcessors(), memory,
                System.getProperty("java.version"), System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }
}
