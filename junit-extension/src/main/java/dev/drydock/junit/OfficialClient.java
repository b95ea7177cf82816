package dev.drydock.junit;

import io.kubernetes.client.openapi.ApiClient;
import okhttp3.OkHttpClient;

/**
 * Makes clients of the official Kubernetes Java client. The only class of the extension that names its types:
 * {@link DrydockExtension} loads it only once a test asks for an {@value DrydockExtension#OFFICIAL_CLIENT}, so
 * {@code io.kubernetes:client-java} need not be on the class path.
 */
final class OfficialClient {

    private OfficialClient() {
    }

    /**
     * A client of the API at {@code url}, with no read timeout so that watches and informers stay open (as
     * client-java's own {@code ClientBuilder} makes them), sending {@code token} as a bearer token (a client
     * identity's, as its kubeconfig has it) if not null. Uses only {@code client-java-api}.
     */
    static DrydockExtension.OpenClient open(String url, String token) {
        ApiClient client = new ApiClient().setBasePath(url).setReadTimeout(0);
        if (token != null) {
            client.setApiKeyPrefix("Bearer");
            client.setApiKey(token); // the "BearerToken" authentication every generated API call names
        }
        OkHttpClient http = client.getHttpClient();
        // Released as OkHttp says an owner should: no more calls, idle connections closed. The client we made,
        // not whatever the test may have set on the ApiClient since.
        return new DrydockExtension.OpenClient(client, () -> {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        });
    }
}
