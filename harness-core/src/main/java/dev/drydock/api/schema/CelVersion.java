package dev.drydock.api.schema;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The dev.cel:cel version drydock is built with (from the root pom, through cel.properties), for messages. */
final class CelVersion {

    static final String VERSION = read();

    private CelVersion() {
    }

    private static String read() {
        try (InputStream in = CelVersion.class.getResourceAsStream("cel.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
