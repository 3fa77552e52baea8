/**
 * The reply store: one table keyed by request id (first reply wins) with a monotonically
 * increasing sequence that serves as the paging and streaming cursor; SQLite by default,
 * PostgreSQL by JDBC URL. The dialect differences live in {@link dev.pipeline.reply.store.Dialect}.
 */
package dev.pipeline.reply.store;
