package dev.pipeline.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A request that is certainly in flight at the server, over a plain socket: its headers say
 * {@code Expect: 100-continue}, and the server answers {@code 100 Continue} only once the
 * route's handler has started to read the body. Then the body comes slowly, the way a client on
 * a slow link uploads: leading blanks (valid JSON whitespace), one every {@link #TRICKLE}, until
 * {@link #finish()} sends the rest at once and reads the final answer. A test can so stop the
 * service while the handler is certainly running and the upload is still making progress. (A
 * body that stalled would test something else: once stopping, Jetty answers 408 on a connection
 * that made no progress for a second, its shutdown idle timeout.)
 */
final class HeldRequest implements AutoCloseable {

    /** A final HTTP answer; header names in lower case. */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    /** How often a blank of the body goes out while the request is held. */
    static final Duration TRICKLE = Duration.ofMillis(200);
    /** Blanks before the JSON: enough to trickle for 30 s. */
    private static final int PADDING = 150;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] body;
    /** Guarded by this: bytes of the body sent so far, and whether the rest went out. */
    private int sent;
    private boolean finished;

    private HeldRequest(Socket socket, byte[] body) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.body = body;
    }

    /**
     * Connects, sends the request line and headers of a POST of {@code json} to {@code path},
     * and returns once the server asked for the body with {@code 100 Continue}.
     */
    static HeldRequest start(String baseUrl, String path, String json, ScheduledExecutorService trickler) throws IOException {
        URI uri = URI.create(baseUrl);
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(30_000);
        HeldRequest held = new HeldRequest(socket, (" ".repeat(PADDING) + json).getBytes(StandardCharsets.UTF_8));
        try {
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + held.body.length
                    + "\r\nExpect: 100-continue\r\n\r\n";
            held.out.write(head.getBytes(StandardCharsets.US_ASCII));
            held.out.flush();
            Answer interim = held.readAnswer();
            if (interim.status() != 100) {
                throw new IOException("expected 100 Continue, got " + interim);
            }
            trickler.scheduleAtFixedRate(held::trickle, 0, TRICKLE.toMillis(), TimeUnit.MILLISECONDS);
            return held;
        } catch (IOException | RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** Sends one more blank, while there are blanks left and the request is not finished. */
    private synchronized void trickle() {
        if (finished || sent >= PADDING - 1) {
            return;
        }
        try {
            out.write(body[sent]);
            out.flush();
            sent++;
        } catch (IOException e) {
            finished = true; // the server closed the connection: finish() reports what it said
        }
    }

    /** Sends the rest of the body and reads the final answer. */
    Answer finish() throws IOException {
        IOException writeFailure = null;
        synchronized (this) {
            finished = true;
            try {
                out.write(body, sent, body.length - sent);
                out.flush();
            } catch (IOException e) {
                // the server may have answered and closed already: its answer is still to be read
                writeFailure = e;
            }
        }
        try {
            return readAnswer();
        } catch (IOException e) {
            if (writeFailure != null) {
                e.addSuppressed(writeFailure);
            }
            throw e;
        }
    }

    /** Reads a status line, headers and (by Content-Length, chunks, or up to EOF) the body. */
    private Answer readAnswer() throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new IOException("the connection closed before an answer came");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (status == 100) {
            return new Answer(status, headers, "");
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            content.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(readLine().split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(readLine().split(";")[0].trim(), 16)) {
                content.write(in.readNBytes(size));
                readLine();
            }
        } else {
            content.write(in.readAllBytes());
        }
        return new Answer(status, headers, content.toString(StandardCharsets.UTF_8));
    }

    /** A line without its CRLF; null at EOF before any byte. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
        return line.isEmpty() ? null : line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do about a socket that does not close
        }
    }
}
