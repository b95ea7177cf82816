package dev.drydock.fake;

import dev.drydock.runtime.Mount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The files a fake container sees: those of its volumes, at their mount paths (a fake container has no image file
 * system). Volumes of files ({@code configMap}, {@code secret}, {@code downwardAPI}, {@code projected}) are read-only;
 * a directory of the pod's own ({@code emptyDir}) is shared by the pod's containers that mount it, and writable
 * unless mounted {@code readOnly}. Safe to use from any thread.
 */
final class ContainerFiles {

    /** A container without volumes. */
    static final ContainerFiles NONE = new ContainerFiles(List.of(), name -> new ConcurrentSkipListMap<>());

    /** A file operation that failed, with the message a shell prints for it ({@code No such file or directory}). */
    static final class FileError extends IllegalArgumentException {
        FileError(String message) {
            super(message);
        }
    }

    private record Mounted(Mount mount, Map<String, byte[]> podDirectory) {
    }

    /** The mounts, the deepest mount path first, so that a mount inside another one wins; replaced on an update. */
    private volatile List<Mounted> mounts;

    /**
     * @param podDirectories a pod's directory by volume name, created on first use (the sandbox keeps them)
     */
    ContainerFiles(List<Mount> mounts, java.util.function.Function<String, Map<String, byte[]>> podDirectories) {
        List<Mounted> all = new ArrayList<>();
        for (Mount m : mounts) {
            all.add(new Mounted(m, m.podDirectory() ? podDirectories.apply(m.volume()) : null));
        }
        all.sort(Comparator.comparingInt((Mounted m) -> m.mount().containerPath().length()).reversed());
        this.mounts = List.copyOf(all);
    }

    /**
     * The kubelet rewrote the volumes' files: each volume of files mounted whole (not by {@code subPath}) at a path
     * of {@code updated} shows its new files; the rest stays.
     */
    synchronized void update(List<Mount> updated) {
        List<Mounted> all = new ArrayList<>();
        for (Mounted m : mounts) {
            Mounted next = m;
            if (!m.mount().podDirectory() && m.mount().subPath().isEmpty()) {
                for (Mount u : updated) {
                    if (u.containerPath().equals(m.mount().containerPath()) && u.volume().equals(m.mount().volume())
                            && !u.podDirectory()) {
                        next = new Mounted(new Mount(u.containerPath(), u.volume(), u.files(), "",
                                m.mount().readOnly()), null);
                    }
                }
            }
            all.add(next);
        }
        mounts = List.copyOf(all);
    }

    /** A path made absolute (relative ones are from {@code /}, the fake's working directory) and clean. */
    static String normalize(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** The content of the file at {@code path}, or null if there is none (or it is a directory). */
    byte[] read(String path) {
        String p = normalize(path);
        for (Mounted m : mounts) {
            String rel = relative(m.mount(), p);
            if (rel == null) {
                continue;
            }
            String key = key(m.mount(), rel);
            if (key == null) {
                return null;
            }
            if (m.podDirectory() != null) {
                byte[] data = m.podDirectory().get(key);
                return data == null ? null : data.clone();
            }
            Mount.File f = m.mount().files().get(key);
            return f == null ? null : f.content();
        }
        return null;
    }

    /** Whether {@code path} is a directory: a mount path, or one holding files. */
    boolean isDirectory(String path) {
        String p = normalize(path);
        if (p.equals("/")) {
            return true;
        }
        for (Mounted m : mounts) {
            String mp = normalize(m.mount().containerPath());
            if (mp.equals(p) && read(p) == null || mp.startsWith(p + "/")) {
                return true;
            }
        }
        return list().stream().anyMatch(f -> f.startsWith(p + "/"));
    }

    /**
     * Writes (or with {@code append} adds to) the file at {@code path}.
     *
     * @throws FileError if no writable volume holds the path, saying why as a shell would
     */
    void write(String path, byte[] data, boolean append) {
        String p = normalize(path);
        for (Mounted m : mounts) {
            String rel = relative(m.mount(), p);
            if (rel == null) {
                continue;
            }
            String key = key(m.mount(), rel);
            if (m.podDirectory() == null || m.mount().readOnly()) {
                throw new FileError("can't create " + p + ": Read-only file system");
            }
            if (key == null || key.isEmpty()) {
                throw new FileError("can't create " + p + ": Is a directory");
            }
            m.podDirectory().merge(key, data.clone(), (old, add) -> {
                if (!append) {
                    return add;
                }
                byte[] both = java.util.Arrays.copyOf(old, old.length + add.length);
                System.arraycopy(add, 0, both, old.length, add.length);
                return both;
            });
            return;
        }
        throw new FileError("can't create " + p + ": Read-only file system");
    }

    /** Every file the container sees, by absolute path, sorted. */
    List<String> list() {
        TreeSet<String> all = new TreeSet<>();
        for (Mounted m : mounts) {
            Mount mount = m.mount();
            String root = normalize(mount.containerPath());
            Iterable<String> keys = m.podDirectory() != null ? m.podDirectory().keySet() : mount.files().keySet();
            String sub = mount.subPath().isEmpty() ? "" : normalize(mount.subPath()).substring(1);
            for (String k : keys) {
                if (sub.isEmpty()) {
                    all.add(normalize(root + "/" + k));
                } else if (k.equals(sub)) {
                    all.add(root);
                } else if (k.startsWith(sub + "/")) {
                    all.add(normalize(root + "/" + k.substring(sub.length() + 1)));
                }
            }
        }
        // a file under a deeper mount hides what an outer one has at that path
        all.removeIf(f -> owner(f) != null && !visibleThrough(owner(f), f));
        return List.copyOf(all);
    }

    private Mounted owner(String path) {
        for (Mounted m : mounts) {
            if (relative(m.mount(), path) != null) {
                return m;
            }
        }
        return null;
    }

    private boolean visibleThrough(Mounted m, String path) {
        String key = key(m.mount(), relative(m.mount(), path));
        if (key == null) {
            return false;
        }
        return m.podDirectory() != null ? m.podDirectory().containsKey(key) : m.mount().files().containsKey(key);
    }

    /** {@code path} relative to the mount's path ("" for the mount path itself), or null if not under it. */
    private static String relative(Mount mount, String path) {
        String root = normalize(mount.containerPath());
        if (path.equals(root)) {
            return "";
        }
        if (root.equals("/")) {
            return path.substring(1);
        }
        return path.startsWith(root + "/") ? path.substring(root.length() + 1) : null;
    }

    /** The volume's key of a path relative to the mount (its subPath applied); null if it names no file. */
    private static String key(Mount mount, String rel) {
        if (mount.subPath().isEmpty()) {
            return rel.isEmpty() ? null : rel;
        }
        String sub = normalize(mount.subPath()).substring(1);
        return rel.isEmpty() ? sub : sub + "/" + rel;
    }
}
