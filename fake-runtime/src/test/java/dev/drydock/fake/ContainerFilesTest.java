package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.runtime.Mount;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.Test;

/** A fake container's view of its volumes: mount paths, subPath, nested mounts, a pod's shared directories. */
class ContainerFilesTest {

    private final Map<String, Map<String, byte[]>> podDirectories = new HashMap<>();

    @Test
    void aVolumeOfFilesIsSeenUnderItsMountPathWholeOrThroughItsSubPath() {
        Map<String, Mount.File> files = files("app.conf", "a=1", "conf/b", "b=2");
        ContainerFiles view = view(new Mount("/etc/app", "config", files, "", false),
                new Mount("/etc/b.conf", "config", files, "conf/b", false),
                new Mount("/opt/conf", "config", files, "conf", false));

        assertThat(text(view, "/etc/app/app.conf")).isEqualTo("a=1");
        assertThat(text(view, "etc/app/./conf/../conf/b")).isEqualTo("b=2");
        assertThat(text(view, "/etc/b.conf")).isEqualTo("b=2");
        assertThat(text(view, "/opt/conf/b")).isEqualTo("b=2");
        assertThat(view.read("/etc/app")).isNull();
        assertThat(view.isDirectory("/etc/app")).isTrue();
        assertThat(view.isDirectory("/etc")).isTrue();
        assertThat(view.list()).containsExactly("/etc/app/app.conf", "/etc/app/conf/b", "/etc/b.conf", "/opt/conf/b");
    }

    @Test
    void aMountInsideAnotherHidesWhatTheOuterOneHasThere() {
        ContainerFiles view = view(new Mount("/data", "outer", files("x/y", "outer", "z", "z"), "", false),
                new Mount("/data/x", "inner", files("w", "inner"), "", false));

        assertThat(view.read("/data/x/y")).isNull();
        assertThat(text(view, "/data/x/w")).isEqualTo("inner");
        assertThat(view.list()).containsExactly("/data/x/w", "/data/z");
    }

    @Test
    void aPodDirectoryIsSharedWritableUnlessReadOnlyAndVolumesOfFilesAreNot() {
        ContainerFiles writer = view(new Mount("/shared", "scratch", null, "", false),
                new Mount("/etc/config", "config", files("k", "v"), "", false));
        ContainerFiles reader = view(new Mount("/in", "scratch", null, "sub", true));

        writer.write("/shared/sub/hello", bytes("hi"), false);
        writer.write("/shared/sub/hello", bytes(" there"), true);

        assertThat(text(reader, "/in/hello")).isEqualTo("hi there");
        assertThatThrownBy(() -> reader.write("/in/x", bytes("no"), false))
                .hasMessage("can't create /in/x: Read-only file system");
        assertThatThrownBy(() -> writer.write("/etc/config/k", bytes("no"), false))
                .hasMessage("can't create /etc/config/k: Read-only file system");
        assertThatThrownBy(() -> writer.write("/tmp/x", bytes("no"), false))
                .hasMessage("can't create /tmp/x: Read-only file system");
        assertThatThrownBy(() -> writer.write("/shared", bytes("no"), false))
                .hasMessage("can't create /shared: Is a directory");
    }

    private ContainerFiles view(Mount... mounts) {
        return new ContainerFiles(List.of(mounts), v -> podDirectories.computeIfAbsent(v,
                x -> new ConcurrentSkipListMap<>()));
    }

    private static Map<String, Mount.File> files(String... pathsAndContents) {
        Map<String, Mount.File> files = new HashMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put(pathsAndContents[i], new Mount.File(bytes(pathsAndContents[i + 1]), 0644));
        }
        return files;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ContainerFiles view, String path) {
        byte[] b = view.read(path);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
