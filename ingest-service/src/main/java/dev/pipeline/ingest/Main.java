package dev.pipeline.ingest;

import picocli.CommandLine;

/** Runs {@code ingest} on its own (the {@code pipeline} command runs it as a subcommand). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new IngestCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // a bad setting or an unreachable Kafka is a message, not a stack trace
            commandLine.getErr().println("ingest: " + e.getMessage());
            return 1;
        });
        System.exit(cli.execute(args));
    }
}
