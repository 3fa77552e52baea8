/** The built-in handlers, for demos, tests and benchmarks. */
package dev.pipeline.core.handler.builtin;
