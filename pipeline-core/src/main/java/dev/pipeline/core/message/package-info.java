/**
 * The wire format: versioned Request and Reply JSON envelopes, the shared Jackson mapper and the
 * record header names. See docs/wire-format.md.
 */
package dev.pipeline.core.message;
