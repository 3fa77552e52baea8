package dev.pipeline.processor;

import picocli.CommandLine;

/** Runs a processor as its own program (containers); {@code ./pipeline processor} does the same. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProcessorCommand()).execute(args));
    }
}
