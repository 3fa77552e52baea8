/** Test helpers: a throwaway PostgreSQL server, replies to store or produce, HTTP and SSE clients. */
package dev.pipeline.reply.testing;
