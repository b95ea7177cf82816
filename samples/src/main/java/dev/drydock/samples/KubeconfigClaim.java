package dev.drydock.samples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * A kubeconfig path that one {@code up} holds while it runs, so that two {@code up}s never write the same file.
 * The hold is an OS lock on {@code <kubeconfig>.lock}: the kernel drops it when the process ends, even by SIGKILL,
 * so a file left by a killed {@code up} never blocks the next one. The lock file holds the owner's pid and stays
 * behind (deleting it could let two processes lock two different files of the same name); the kubeconfig is deleted
 * on {@link #release()}.
 */
final class KubeconfigClaim {

    /** The default kubeconfig's name in the temp directory, as the README's first screen uses it. */
    static final String DEFAULT_NAME = "drydock.kubeconfig";
    private static final int MAX_DEFAULTS = 100;
    /**
     * The lock files this JVM holds. Checked before a lock file is opened at all: closing any channel of a locked
     * file drops this process's lock on it (POSIX), so a second try from the same JVM must not even open it.
     */
    private static final Set<Path> HELD = new HashSet<>();

    private final Path kubeconfig;
    private final FileChannel channel;
    private boolean released;

    private KubeconfigClaim(Path kubeconfig, FileChannel channel) {
        this.kubeconfig = kubeconfig;
        this.channel = channel;
    }

    /**
     * Claims {@code dir/drydock.kubeconfig}, or if another live {@code up} holds it, {@code dir/drydock-2.kubeconfig},
     * {@code drydock-3}... in turn.
     */
    static KubeconfigClaim claimDefault(Path dir) throws IOException {
        for (int i = 1; i <= MAX_DEFAULTS; i++) {
            Path candidate = dir.resolve(i == 1 ? DEFAULT_NAME : "drydock-" + i + ".kubeconfig");
            KubeconfigClaim claim = tryClaim(candidate);
            if (claim != null) {
                return claim;
            }
        }
        throw new IllegalStateException(MAX_DEFAULTS + " drydock up runs already hold kubeconfigs in " + dir
                + "; pass --kubeconfig PATH");
    }

    /**
     * Claims {@code kubeconfig}.
     *
     * @throws IllegalStateException if another live {@code up} holds it
     */
    static KubeconfigClaim claim(Path kubeconfig) throws IOException {
        KubeconfigClaim claim = tryClaim(kubeconfig);
        if (claim == null) {
            throw new IllegalStateException(kubeconfig + " is in use by another drydock up" + owner(kubeconfig)
                    + "; stop it, or pass another --kubeconfig (or none, for a free default)");
        }
        return claim;
    }

    /** The claimed path. */
    Path path() {
        return kubeconfig;
    }

    /** Deletes the kubeconfig and lets another {@code up} have the path. */
    void release() throws IOException {
        synchronized (HELD) {
            if (released) {
                return;
            }
            released = true;
            try {
                Files.deleteIfExists(kubeconfig);
            } finally {
                channel.close(); // releases the lock
                HELD.remove(key(kubeconfig));
            }
        }
    }

    /** Where the claim of {@code kubeconfig} is held. */
    static Path lockFile(Path kubeconfig) {
        return kubeconfig.resolveSibling(kubeconfig.getFileName() + ".lock");
    }

    private static Path key(Path kubeconfig) {
        return lockFile(kubeconfig).toAbsolutePath().normalize();
    }

    private static KubeconfigClaim tryClaim(Path kubeconfig) throws IOException {
        synchronized (HELD) {
            if (HELD.contains(key(kubeconfig))) {
                return null;
            }
            KubeconfigClaim claim = lock(kubeconfig);
            if (claim != null) {
                HELD.add(key(kubeconfig));
            }
            return claim;
        }
    }

    private static KubeconfigClaim lock(Path kubeconfig) throws IOException {
        Path lockFile = lockFile(kubeconfig);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM under another name for the same file
            }
            if (lock == null) {
                channel.close();
                return null;
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
                    0);
            channel.force(false);
            return new KubeconfigClaim(kubeconfig, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** " (pid N)" as the holder wrote it into the lock file, or "" if it cannot be read. */
    private static String owner(Path kubeconfig) {
        synchronized (HELD) {
            if (HELD.contains(key(kubeconfig))) {
                return " (pid " + ProcessHandle.current().pid() + ", this process)";
            }
        }
        try {
            String pid = Files.readString(lockFile(kubeconfig), StandardCharsets.UTF_8).trim();
            return pid.matches("[0-9]+") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }
}
