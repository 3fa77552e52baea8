/** End-to-end tests: the services as separate OS processes against a real Kafka broker. */
package dev.pipeline.e2e;
