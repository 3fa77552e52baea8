/**
 * The reply service's HTTP API on Javalin (virtual threads): look-up with long-poll, paging by
 * client, a Server-Sent Events stream, stats and health; errors as RFC 9457 problem details.
 */
package dev.pipeline.reply.http;
