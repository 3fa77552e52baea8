package dev.pipeline.reply;

import picocli.CommandLine;

/** Runs the reply service as its own program (containers); {@code ./pipeline reply} does the same. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        CommandLine command = new CommandLine(new ReplyCommand());
        command.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // an expected failure (bad setting, store or Kafka unreachable) is a message, not a stack trace
            commandLine.getErr().println("reply: " + e.getMessage()
                    + (e.getCause() != null && e.getCause().getMessage() != null ? ": " + e.getCause().getMessage() : ""));
            return 1;
        });
        System.exit(command.execute(args));
    }
}
