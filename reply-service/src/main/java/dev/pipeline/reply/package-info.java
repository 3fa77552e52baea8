/**
 * The reply service: replies topic in (read_committed), the reply store, HTTP and SSE out.
 * {@link dev.pipeline.reply.ReplyCommand} runs it; {@link dev.pipeline.reply.ReplyService} wires it.
 */
package dev.pipeline.reply;
