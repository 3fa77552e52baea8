package dev.pipeline.reply.http;

import java.time.Duration;

/**
 * What the HTTP side needs from the service's configuration (validated there).
 *
 * @param host      address to listen on
 * @param port      port, 0 for any free one
 * @param maxWait   the longest long-poll
 * @param heartbeat how often a quiet SSE stream gets a comment line
 * @param authToken the bearer token every /v1 route needs, or null
 */
public record HttpSettings(String host, int port, Duration maxWait, Duration heartbeat, String authToken) {

    @Override
    public String toString() {
        return "HttpSettings[host=" + host + ", port=" + port + ", maxWait=" + maxWait + ", heartbeat=" + heartbeat
                + ", authToken=" + (authToken == null ? "none" : "(set)") + "]";
    }
}
