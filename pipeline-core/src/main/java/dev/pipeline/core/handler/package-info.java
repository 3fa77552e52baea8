/**
 * The handler plug-in interface: a type name and a function from a request to a result, found
 * with {@link java.util.ServiceLoader} on the class path and in a {@code plugins/} folder of jars.
 * The built-in handlers are in {@code builtin}.
 */
package dev.pipeline.core.handler;
