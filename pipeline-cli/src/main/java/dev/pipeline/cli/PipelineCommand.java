package dev.pipeline.cli;

import dev.pipeline.cli.bench.BenchCommand;
import dev.pipeline.cli.chaos.ChaosCommand;
import dev.pipeline.cli.check.CheckCommand;
import dev.pipeline.cli.send.SendCommand;
import dev.pipeline.cli.stack.DemoCommand;
import dev.pipeline.cli.stack.UpCommand;
import dev.pipeline.ingest.IngestCommand;
import dev.pipeline.processor.ProcessorCommand;
import dev.pipeline.reply.ReplyCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pipeline}: the top of the command tree; alone it asks for a subcommand. */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A Kafka request pipeline: ingest, processors and replies joined by Kafka topics.",
        subcommands = {
            DemoCommand.class, UpCommand.class, SendCommand.class, BenchCommand.class,
            IngestCommand.class, ProcessorCommand.class, ReplyCommand.class,
            BrokerCommand.class, CheckCommand.class, ChaosCommand.class
        },
        footerHeading = "%nLauncher commands (run by ./pipeline itself, before any Java starts):%n",
        footer = {
            "  test [maven args]   Build everything and run all tests (mvn verify)",
            "                      with the JDK the launcher found.",
            "",
            "Run 'pipeline COMMAND --help' for a command's options."
        })
final class PipelineCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of " + spec.subcommands().keySet());
    }
}
