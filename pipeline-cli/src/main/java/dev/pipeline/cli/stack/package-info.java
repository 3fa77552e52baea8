/**
 * The local stack of {@code ./pipeline up} and {@code demo}: the broker and the services, each
 * its own OS process started from this same command, with prefixed output and ordered shutdown.
 */
package dev.pipeline.cli.stack;
