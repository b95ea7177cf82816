package dev.drydock.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link java.nio.file.Path} parameter or field (static too) that receives the path of a kubeconfig file of
 * the {@link Cluster}: the cluster's own ({@code DrydockCluster.kubeconfig()}), or with {@link Identity} that
 * identity's. The file is deleted when the cluster closes. For tools that read a kubeconfig (kubectl, helm, an
 * operator started in a process of its own).
 *
 * <pre>{@code
 * @Test
 * void kubectlSeesTheNodes(@Kubeconfig Path kubeconfig) throws Exception {
 *     new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "get", "nodes").start();
 * }
 * }</pre>
 */
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Kubeconfig {
}
