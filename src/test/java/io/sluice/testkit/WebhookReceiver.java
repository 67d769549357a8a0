package io.sluice.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A webhook receiver on a free loopback port (the JDK's HTTP server): keeps every JSON body POSTed to it with the
 * time it came, and answers 204. One per test JVM, like the other servers of the test kit.
 */
public final class WebhookReceiver {

    private static WebhookReceiver shared;

    /** One received POST: its body, raw and parsed, and when it arrived. */
    public record Received(String body, JsonNode json, Instant at) {
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();

    private WebhookReceiver() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                JsonNode json;
                try {
                    json = mapper.readTree(body);
                } catch (IOException e) {
                    json = null; // kept as text: the test then sees it was not JSON
                }
                synchronized (received) {
                    received.add(new Received(body, json, Instant.now()));
                }
                exchange.sendResponseHeaders(204, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public static synchronized WebhookReceiver shared() {
        if (shared == null) {
            try {
                shared = new WebhookReceiver();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The POSTs received so far whose JSON matches, in order of arrival. */
    public List<Received> received(Predicate<JsonNode> which) {
        synchronized (received) {
            return received.stream().filter(r -> r.json() != null && which.test(r.json())).toList();
        }
    }

    /** Every POST received so far whose raw body mentions {@code text} (JSON or not). */
    public List<Received> mentioning(String text) {
        synchronized (received) {
            return new ArrayList<>(received.stream().filter(r -> r.body().contains(text)).toList());
        }
    }
}
