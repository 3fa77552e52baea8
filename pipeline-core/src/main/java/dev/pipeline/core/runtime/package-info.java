/** Running a service process: configuration errors and the run-until-signal loop. */
package dev.pipeline.core.runtime;
