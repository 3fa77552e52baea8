/**
 * Waking HTTP readers when replies arrive: long-poll waiters keyed by request id, and SSE
 * subscriptions keyed by client. The consumer thread publishes after each stored batch; HTTP
 * threads wait. Both are bounded and emptied on shutdown.
 */
package dev.pipeline.reply.notify;
