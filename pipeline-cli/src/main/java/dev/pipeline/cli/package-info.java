/** The {@code ./pipeline} command: one picocli entry point with a subcommand per job. */
package dev.pipeline.cli;
