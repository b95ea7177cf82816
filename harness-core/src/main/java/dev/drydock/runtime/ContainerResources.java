package dev.drydock.runtime;

/**
 * A container's requests and limits, as the kubelet hands them to the runtime (CRI's
 * {@code LinuxContainerResources}, in plain units). Zero means not set.
 *
 * @param cpuRequestMillis   {@code requests.cpu}, in millicores
 * @param cpuLimitMillis     {@code limits.cpu}, in millicores
 * @param memoryRequestBytes {@code requests.memory}, in bytes
 * @param memoryLimitBytes   {@code limits.memory}, in bytes: a container whose memory use goes over it is killed
 *                           ({@code OOMKilled}, exit code 137)
 */
public record ContainerResources(long cpuRequestMillis, long cpuLimitMillis, long memoryRequestBytes,
                                 long memoryLimitBytes) {

    /** No requests and no limits. */
    public static final ContainerResources NONE = new ContainerResources(0, 0, 0, 0);

    public ContainerResources {
        if (cpuRequestMillis < 0 || cpuLimitMillis < 0 || memoryRequestBytes < 0 || memoryLimitBytes < 0) {
            throw new IllegalArgumentException("requests and limits must not be negative: " + cpuRequestMillis
                    + "m/" + cpuLimitMillis + "m cpu, " + memoryRequestBytes + "/" + memoryLimitBytes + " bytes");
        }
    }
}
