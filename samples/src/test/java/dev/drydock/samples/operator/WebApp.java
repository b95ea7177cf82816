package dev.drydock.samples.operator;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** The sample operator's custom resource: a web app of some replicas serving a message (its CRD: webapps.yaml). */
@Group(WebApp.GROUP)
@Version("v1")
@Kind("WebApp")
@Plural("webapps")
public class WebApp extends CustomResource<WebApp.Spec, WebApp.Status> implements Namespaced {

    public static final String GROUP = "samples.drydock.dev";

    /** What the user asks for. */
    public static class Spec {
        private String image;
        private int replicas;
        private String message;

        public String getImage() {
            return image;
        }

        public void setImage(String image) {
            this.image = image;
        }

        public int getReplicas() {
            return replicas;
        }

        public void setReplicas(int replicas) {
            this.replicas = replicas;
        }

        public String getMessage() {
            return message;
        }

        public void setMessage(String message) {
            this.message = message;
        }
    }

    /** What the operator reports. */
    public static class Status {
        private int readyReplicas;

        public int getReadyReplicas() {
            return readyReplicas;
        }

        public void setReadyReplicas(int readyReplicas) {
            this.readyReplicas = readyReplicas;
        }
    }
}
