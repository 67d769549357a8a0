package io.sluice.alert;

import io.sluice.base.Errors;
import io.sluice.base.SecretMasker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** POSTs an alert's JSON to the webhook with the JDK's HTTP client; answers why not when it was not taken. */
final class WebhookSender {

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    WebhookSender(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /**
     * Sends {@code json}; null when the webhook answered 2xx, else the reason (status or error), which never names
     * the URL: webhook URLs often carry a token.
     */
    String send(byte[] json) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status / 100 == 2 ? null : "the webhook answered HTTP " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while sending to the webhook";
        } catch (IOException | RuntimeException e) {
            return "could not send to the webhook: " + SecretMasker.maskValues(Errors.describe(e), url.toString()) + " (check sluice.alerts.webhook-url and that "
                    + "the receiver is reachable from Sluice)";
        }
    }
}
