package dev.drydock.api;

import static dev.drydock.api.CoreV1Objects.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.kinds.CoreV1Kinds;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ConfigMaps and Secrets as kube-apiserver serves them: config keys, the 1 MiB limit, {@code immutable} objects,
 * and for Secrets {@code stringData} folded into base64 {@code data}, {@code type} defaulted and immutable, and the
 * keys each built-in type requires.
 */
class ApiServerConfigDataTest extends ApiServerTestSupport {

    private static final Resource CONFIG_MAPS = CoreV1Kinds.CONFIG_MAPS;
    private static final Resource SECRETS = CoreV1Kinds.SECRETS;

    // ---- ConfigMaps

    @Test
    void configMapsAreCreatedReadListedUpdatedPatchedAndDeleted() {
        ObjectNode cm = client.create(CONFIG_MAPS, NS, json("{'metadata': {'name': 'app'}, "
                + "'data': {'mode': 'fast'}, 'binaryData': {'blob': 'AAEC'}}"));
        assertThat(client.get(CONFIG_MAPS, NS, "app")).isEqualTo(cm);
        client.create(CONFIG_MAPS, NS, json("{'metadata': {'name': 'other'}}"));
        assertThat(names(list(CONFIG_MAPS, NS, Map.of()))).containsExactly("app", "other");

        Json.with(cm, "data").put("mode", "slow");
        assertThat(client.update(CONFIG_MAPS, cm).path("data").path("mode").asText()).isEqualTo("slow");
        ObjectNode patched = client.mergePatch(CONFIG_MAPS, NS, "app", null, json("{'data': {'extra': 'x'}}"));
        assertThat(patched.path("data").size()).isEqualTo(2);

        client.delete(CONFIG_MAPS, NS, "app");
        assertThat(client.find(CONFIG_MAPS, NS, "app")).isNull();
    }

    @Test
    void keysMustBeConfigKeys() {
        ApiException e = failure(() -> client.create(CONFIG_MAPS, NS, json("{'metadata': {'name': 'c'}, "
                + "'data': {'a b': '1'}}")));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("ConfigMap \"c\" is invalid: data[a b]: Invalid value: \"a b\": a valid "
                + "config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
                + "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
        assertThat(failure(() -> client.create(CONFIG_MAPS, NS, json("{'metadata': {'name': 'c'}, "
                + "'data': {'..x': '1'}}"))).getMessage()).endsWith("data[..x]: Invalid value: \"..x\": must not "
                + "start with '..'");
        assertThat(failure(() -> client.create(CONFIG_MAPS, NS, json("{'metadata': {'name': 'c'}, "
                + "'data': {'k': '1'}, 'binaryData': {'k': 'AA=='}}"))).getMessage()).endsWith("data[k]: Invalid "
                + "value: \"k\": duplicate of key present in binaryData");
    }

    @Test
    void moreThanOneMebibyteIsTooLong() {
        ObjectNode cm = json("{'metadata': {'name': 'big'}}");
        Json.with(cm, "data").put("a", "x".repeat(600 * 1024)).put("b", "y".repeat(500 * 1024));

        ApiException e = failure(() -> client.create(CONFIG_MAPS, NS, cm));

        assertThat(e.getMessage()).isEqualTo("ConfigMap \"big\" is invalid: []: Too long: may not be more than "
                + "1048576 bytes");
        assertThat(e.status().path("details").path("causes").get(0).path("reason").asText())
                .isEqualTo("FieldValueTooLong");
    }

    @Test
    void dataThatIsNotTextIsABadRequestAsKubesDecoderSays() {
        ApiException number = failure(() -> client.create(CONFIG_MAPS, NS, json("{'metadata': {'name': 'c'}, "
                + "'data': {'port': 8080}}")));
        ApiException base64 = failure(() -> client.create(CONFIG_MAPS, NS, json("{'metadata': {'name': 'c'}, "
                + "'binaryData': {'b': 'not base64'}}")));

        assertThat(number.code()).isEqualTo(400);
        assertThat(number.getMessage()).isEqualTo("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: "
                + "cannot unmarshal number into Go struct field ConfigMap.data of type string");
        assertThat(base64.getMessage()).isEqualTo("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: "
                + "illegal base64 data at input byte 3");
    }

    @Test
    void anImmutableConfigMapKeepsItsDataButNotItsLabels() {
        client.create(CONFIG_MAPS, NS, json("{'metadata': {'name': 'frozen'}, 'immutable': true, "
                + "'data': {'a': '1'}}"));

        ApiException data = failure(() -> client.mergePatch(CONFIG_MAPS, NS, "frozen", null,
                json("{'data': {'a': '2'}}")));
        ApiException thaw = failure(() -> client.mergePatch(CONFIG_MAPS, NS, "frozen", null,
                json("{'immutable': false}")));
        ObjectNode labelled = client.mergePatch(CONFIG_MAPS, NS, "frozen", null,
                json("{'metadata': {'labels': {'x': 'y'}}}"));

        assertThat(data.getMessage()).isEqualTo("ConfigMap \"frozen\" is invalid: data: Forbidden: field is "
                + "immutable when `immutable` is set");
        assertThat(thaw.getMessage()).isEqualTo("ConfigMap \"frozen\" is invalid: immutable: Forbidden: field is "
                + "immutable when `immutable` is set");
        assertThat(labelled.path("metadata").path("labels").path("x").asText()).isEqualTo("y");
    }

    // ---- Secrets

    @Test
    void stringDataIsFoldedIntoBase64DataAndNeverStored() {
        ObjectNode secret = client.create(SECRETS, NS, json("{'metadata': {'name': 's'}, "
                + "'data': {'a': 'b2xk', 'b': 'a2VwdA=='}, 'stringData': {'a': 'new', 'c': 'plain'}}"));

        assertThat(secret.has("stringData")).isFalse();
        assertThat(decoded(secret, "a")).isEqualTo("new");
        assertThat(decoded(secret, "b")).isEqualTo("kept");
        assertThat(decoded(secret, "c")).isEqualTo("plain");
        assertThat(secret.path("type").asText()).isEqualTo("Opaque");
        assertThat(client.get(SECRETS, NS, "s")).isEqualTo(secret);

        ObjectNode patched = client.mergePatch(SECRETS, NS, "s", null, json("{'stringData': {'b': 'changed'}}"));
        assertThat(decoded(patched, "b")).isEqualTo("changed");
        assertThat(patched.has("stringData")).isFalse();
    }

    @Test
    void theTypeIsImmutable() {
        client.create(SECRETS, NS, json("{'metadata': {'name': 's'}, 'data': {'a': 'Yg=='}}"));

        ApiException e = failure(() -> client.mergePatch(SECRETS, NS, "s", null,
                json("{'type': 'example.com/other'}")));

        assertThat(e.getMessage()).isEqualTo("Secret \"s\" is invalid: type: Invalid value: \"example.com/other\": "
                + "field is immutable");
    }

    @Test
    void builtInTypesRequireTheirKeys() {
        ApiException tls = failure(() -> client.create(SECRETS, NS, json("{'metadata': {'name': 't'}, "
                + "'type': 'kubernetes.io/tls', 'data': {'tls.crt': 'Yg=='}}")));
        ApiException token = failure(() -> client.create(SECRETS, NS, json("{'metadata': {'name': 't'}, "
                + "'type': 'kubernetes.io/service-account-token'}")));

        assertThat(tls.getMessage()).isEqualTo("Secret \"t\" is invalid: data[tls.key]: Required value");
        assertThat(token.getMessage()).isEqualTo("Secret \"t\" is invalid: "
                + "metadata.annotations[kubernetes.io/service-account.name]: Required value");
    }

    @Test
    void dataThatIsNotBase64IsABadRequestAsKubesDecoderSays() {
        ApiException e = failure(() -> client.create(SECRETS, NS, json("{'metadata': {'name': 's'}, "
                + "'data': {'a': 'plain text'}}")));

        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 "
                + "data at input byte 5");
    }

    @Test
    void secretsOfMoreThanOneMebibyteAreTooLong() {
        ObjectNode secret = json("{'metadata': {'name': 'big'}}");
        Json.with(secret, "stringData").put("a", "x".repeat(1024 * 1024 + 1));

        assertThat(failure(() -> client.create(SECRETS, NS, secret)).getMessage())
                .isEqualTo("Secret \"big\" is invalid: data: Too long: may not be more than 1048576 bytes");
    }

    @Test
    void anImmutableSecretKeepsItsData() {
        client.create(SECRETS, NS, json("{'metadata': {'name': 's'}, 'immutable': true, 'data': {'a': 'Yg=='}}"));

        ApiException e = failure(() -> client.mergePatch(SECRETS, NS, "s", null, json("{'stringData': {'a': 'c'}}")));

        assertThat(e.getMessage()).isEqualTo("Secret \"s\" is invalid: data: Forbidden: field is immutable when "
                + "`immutable` is set");
    }

    @Test
    void secretsAreSelectedByType() {
        client.create(SECRETS, NS, json("{'metadata': {'name': 'o'}}"));
        client.create(SECRETS, NS, json("{'metadata': {'name': 'b'}, 'type': 'kubernetes.io/basic-auth', "
                + "'stringData': {'username': 'u'}}"));

        assertThat(names(list(SECRETS, NS, Map.of("fieldSelector", "type=kubernetes.io/basic-auth"))))
                .containsExactly("b");
        ApiResponse bad = call(ApiRequest.Verb.LIST, CONFIG_MAPS, NS, null, null,
                Map.of("fieldSelector", "type=Opaque"), null, null);
        assertThat(bad.code()).isEqualTo(400);
    }

    private static String decoded(ObjectNode secret, String key) {
        return new String(Base64.getDecoder().decode(secret.path("data").path(key).asText()), StandardCharsets.UTF_8);
    }
}
