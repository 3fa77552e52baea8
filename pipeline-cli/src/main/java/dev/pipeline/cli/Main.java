package dev.pipeline.cli;

import picocli.CommandLine;

/** Entry point of {@code ./pipeline}: runs the subcommand and exits with its code. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree with its error handling; tests run it in-process. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PipelineCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // an expected failure (bad setting, port taken) is a message, not a stack trace
            commandLine.getErr().println(commandLine.getColorScheme()
                    .errorText(commandLine.getCommandName() + ": " + describe(e)));
            return 1;
        });
        return cli;
    }

    private static String describe(Throwable e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
                message.append(": ").append(cause.getMessage());
            }
        }
        return message.toString();
    }
}
