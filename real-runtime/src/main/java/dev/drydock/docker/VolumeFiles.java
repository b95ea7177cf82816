package dev.drydock.docker;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import dev.drydock.runtime.Mount;
import dev.drydock.runtime.RuntimeError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A pod's volumes as directories of the host that the engine bind-mounts: a volume of files (configMap, secret,
 * downwardAPI, projected) is written for each container that mounts it, a pod's own directory (emptyDir) once per pod
 * and shared by its containers. Everything lives under the cluster's temporary directory, removed with the pod's
 * sandbox and at the cluster's close. The engine must see this host's files (a local engine does).
 */
final class VolumeFiles {

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private final Path root;
    /** The volumes of files of each container, to rewrite them when their sources change. */
    private final Map<String, List<Written>> byContainer = new ConcurrentHashMap<>();

    private record Written(Mount mount, Path dir) {
    }

    VolumeFiles(Path root) {
        this.root = root;
    }

    /** The binds of a new container of {@code sandboxId}, its volumes written first. */
    List<Bind> binds(String sandboxId, String container, List<Mount> mounts) {
        List<Bind> binds = new ArrayList<>();
        try {
            Path pod = root.resolve(sandboxId);
            Path own = pod.resolve(container + "-" + SEQUENCE.incrementAndGet());
            for (Mount m : mounts) {
                Path dir;
                if (m.podDirectory()) {
                    dir = pod.resolve("dirs").resolve(m.volume());
                    Files.createDirectories(dir);
                } else {
                    dir = own.resolve(m.volume());
                    write(dir, m.files());
                }
                Path source = m.subPath().isEmpty() ? dir : dir.resolve(m.subPath()).normalize();
                if (!source.startsWith(dir)) {
                    throw new RuntimeError("CreateContainerConfigError", "subPath " + m.subPath()
                            + " leaves its volume " + m.volume());
                }
                if (m.podDirectory() && !Files.exists(source)) {
                    Files.createDirectories(source); // kube creates a subPath of a pod directory
                }
                binds.add(new Bind(source.toString(), new Volume(m.containerPath()),
                        m.readOnly() ? AccessMode.ro : AccessMode.rw));
            }
        } catch (IOException e) {
            throw new RuntimeError("CreateContainerError", "could not write the volumes of container " + container
                    + " under " + root + ": " + e.getMessage());
        }
        return binds;
    }

    /** The container exists: its volumes of files can be rewritten from now on. */
    void created(String containerId, String sandboxId, String container, List<Mount> mounts, List<Bind> binds) {
        List<Written> written = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            if (!m.podDirectory() && m.subPath().isEmpty()) {
                written.add(new Written(m, Path.of(binds.get(i).getPath())));
            }
        }
        if (!written.isEmpty()) {
            byContainer.put(containerId, written);
        }
    }

    /** Rewrites the files of the container's volumes (not those mounted by subPath, as on kube). */
    void update(String containerId, List<Mount> mounts) {
        List<Written> written = byContainer.get(containerId);
        if (written == null) {
            return;
        }
        for (Written w : written) {
            for (Mount m : mounts) {
                if (m.volume().equals(w.mount().volume()) && m.containerPath().equals(w.mount().containerPath())
                        && !m.podDirectory()) {
                    try {
                        write(w.dir(), m.files());
                    } catch (IOException e) {
                        throw new UncheckedIOException("rewriting volume " + m.volume() + " of " + containerId, e);
                    }
                }
            }
        }
    }

    void removed(String containerId) {
        byContainer.remove(containerId);
    }

    /** Removes the pod's directories. */
    void removeSandbox(String sandboxId) {
        delete(root.resolve(sandboxId));
    }

    /** Removes everything. */
    void close() {
        delete(root);
    }

    private static void write(Path dir, Map<String, Mount.File> files) throws IOException {
        Files.createDirectories(dir);
        Set<Path> keep = new java.util.HashSet<>();
        for (Map.Entry<String, Mount.File> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey()).normalize();
            if (!file.startsWith(dir)) {
                throw new IOException("the file " + f.getKey() + " leaves its volume");
            }
            Files.createDirectories(file.getParent());
            Files.write(file, f.getValue().content());
            Files.setPosixFilePermissions(file, permissions(f.getValue().mode()));
            keep.add(file);
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                if (!keep.contains(p)) {
                    Files.delete(p); // a key the source no longer has
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + dir, e);
        }
    }
}
