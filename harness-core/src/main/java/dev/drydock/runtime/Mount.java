package dev.drydock.runtime;

import java.util.Map;

/**
 * A volume mounted into a container, as the kubelet hands it to the runtime: where it goes and what it holds, so a
 * runtime can materialize it (the fake one keeps it in memory; a real one writes it to a directory it bind-mounts).
 * A volume of files ({@code configMap}, {@code secret}, {@code downwardAPI}, {@code projected}) comes with its
 * files, resolved by the kubelet; an {@code emptyDir} comes without ({@link #files()} null): it is a directory of
 * the pod's own, empty at first, shared by every container of the pod that mounts a volume of that name.
 *
 * @param containerPath where the volume appears in the container ({@code mountPath})
 * @param volume        the pod's name of the volume
 * @param files         the volume's files by path relative to its root; null for a directory of the pod's own
 * @param subPath       the part of the volume mounted (a file or a directory in it); empty for all of it
 * @param readOnly      whether the container may not write to it (volumes of files always are)
 */
public record Mount(String containerPath, String volume, Map<String, File> files, String subPath,
                    boolean readOnly) {

    public Mount {
        if (containerPath == null || !containerPath.startsWith("/")) {
            throw new IllegalArgumentException("a mount path must be absolute, got " + containerPath);
        }
        files = files == null ? null : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(files));
        subPath = subPath == null ? "" : subPath;
        readOnly = readOnly || files != null;
    }

    /** Whether this is a directory of the pod's own ({@code emptyDir}) rather than a volume of files. */
    public boolean podDirectory() {
        return files == null;
    }

    /**
     * One file of a volume.
     *
     * @param mode its permission bits ({@code defaultMode} or the item's {@code mode}; kube's default 0644)
     */
    public record File(byte[] content, int mode) {

        public File {
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof File f && f.mode == mode && java.util.Arrays.equals(f.content, content);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(content) + mode;
        }

        @Override
        public String toString() {
            return "File[" + content.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
        }
    }
}
