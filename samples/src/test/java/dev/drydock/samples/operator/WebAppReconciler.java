package dev.drydock.samples.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.Map;

/**
 * A Java Operator SDK operator as its authors would write it, with JOSDK's defaults (its dependent resources are
 * server-side applied): each WebApp gets a ConfigMap holding its message, a Deployment mounting it and a Service in
 * front, all owned by the WebApp; the WebApp's status counts the Deployment's ready replicas.
 */
@ControllerConfiguration
@Workflow(dependents = {
        @Dependent(type = WebAppReconciler.MessageConfigMap.class),
        @Dependent(type = WebAppReconciler.WebDeployment.class),
        @Dependent(type = WebAppReconciler.WebService.class)})
public class WebAppReconciler implements Reconciler<WebApp> {

    static Map<String, String> labels(WebApp app) {
        return Map.of("app.kubernetes.io/name", app.getMetadata().getName(),
                "app.kubernetes.io/managed-by", "webapp-operator");
    }

    @Override
    public UpdateControl<WebApp> reconcile(WebApp app, Context<WebApp> context) {
        int ready = context.getSecondaryResource(Deployment.class)
                .map(d -> d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                        : d.getStatus().getReadyReplicas())
                .orElse(0);
        WebApp status = new WebApp();
        status.getMetadata().setName(app.getMetadata().getName());
        status.getMetadata().setNamespace(app.getMetadata().getNamespace());
        status.setStatus(new WebApp.Status());
        status.getStatus().setReadyReplicas(ready);
        return UpdateControl.patchStatus(status);
    }

    /** The message, as a file the web server serves. */
    public static class MessageConfigMap extends CRUDKubernetesDependentResource<ConfigMap, WebApp> {
        public MessageConfigMap() {
            super(ConfigMap.class);
        }

        @Override
        protected ConfigMap desired(WebApp app, Context<WebApp> context) {
            return new ConfigMapBuilder().withNewMetadata().withName(app.getMetadata().getName() + "-content")
                    .withNamespace(app.getMetadata().getNamespace()).withLabels(labels(app)).endMetadata()
                    .addToData("index.html", app.getSpec().getMessage()).build();
        }
    }

    /** The web servers. */
    public static class WebDeployment extends CRUDKubernetesDependentResource<Deployment, WebApp> {
        public WebDeployment() {
            super(Deployment.class);
        }

        @Override
        protected Deployment desired(WebApp app, Context<WebApp> context) {
            String name = app.getMetadata().getName();
            return new DeploymentBuilder().withNewMetadata().withName(name)
                    .withNamespace(app.getMetadata().getNamespace()).withLabels(labels(app)).endMetadata()
                    .withNewSpec().withReplicas(app.getSpec().getReplicas())
                    .withNewSelector().withMatchLabels(labels(app)).endSelector()
                    .withNewTemplate().withNewMetadata().withLabels(labels(app)).endMetadata()
                    .withNewSpec().addNewContainer().withName("web").withImage(app.getSpec().getImage())
                    .addNewPort().withName("http").withContainerPort(8080).endPort()
                    .addNewVolumeMount().withName("content").withMountPath("/srv").endVolumeMount()
                    .endContainer()
                    .addNewVolume().withName("content").withNewConfigMap().withName(name + "-content")
                    .endConfigMap().endVolume()
                    .endSpec().endTemplate().endSpec().build();
        }
    }

    /** The web servers' Service. */
    public static class WebService extends CRUDKubernetesDependentResource<Service, WebApp> {
        public WebService() {
            super(Service.class);
        }

        @Override
        protected Service desired(WebApp app, Context<WebApp> context) {
            return new ServiceBuilder().withNewMetadata().withName(app.getMetadata().getName())
                    .withNamespace(app.getMetadata().getNamespace()).withLabels(labels(app)).endMetadata()
                    .withNewSpec().withSelector(labels(app)).addNewPort().withName("http").withPort(80)
                    .withTargetPort(new IntOrString("http")).endPort().endSpec().build();
        }
    }
}
