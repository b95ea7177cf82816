package dev.drydock.junit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Makes fabric8 clients. The only class of the extension that names fabric8's types: {@link DrydockExtension} loads
 * it only once a test asks for a {@value DrydockExtension#FABRIC8_CLIENT}, so fabric8 need not be on the class path.
 */
final class Fabric8Client {

    private Fabric8Client() {
    }

    /**
     * A client of the API at {@code url} whose default namespace is {@code namespace}, sending {@code token} (a
     * client identity's, as its kubeconfig has it) if not null. Built from an empty config, so that no kubeconfig,
     * environment variable or system property of the machine can point it elsewhere.
     */
    static DrydockExtension.OpenClient open(String url, String namespace, String token) {
        ConfigBuilder builder = new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace(namespace);
        if (token != null) {
            builder = builder.withOauthToken(token);
        }
        Config config = builder.build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        return new DrydockExtension.OpenClient(client, client::close);
    }
}
