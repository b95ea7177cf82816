package dev.drydock.api.streams;

import dev.drydock.api.http.WebSocketSession;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * kube's WebSocket channel protocols ({@code k8s.io/apimachinery/pkg/util/httpstream/wsstream}): each message starts
 * with its channel's number, as a byte ({@code channel.k8s.io}, {@code v4.channel.k8s.io},
 * {@code v5.channel.k8s.io}) or as an ASCII digit followed by the data in base64 ({@code base64.channel.k8s.io},
 * {@code v4.base64.channel.k8s.io}).
 */
final class ChannelCodec {

    static final String V1 = "channel.k8s.io";
    static final String V1_BASE64 = "base64.channel.k8s.io";
    static final String V4 = "v4.channel.k8s.io";
    static final String V4_BASE64 = "v4.base64.channel.k8s.io";
    static final String V5 = "v5.channel.k8s.io";
    /** v5's signal that the client closed one of its channels: {@code [255, channel]}. */
    static final int CLOSE_SIGNAL = 255;

    /** A message from the client, decoded. */
    record Message(int channel, byte[] data) {
    }

    private final boolean base64;

    ChannelCodec(String protocol) {
        this.base64 = protocol != null && protocol.contains("base64");
    }

    boolean base64() {
        return base64;
    }

    void send(WebSocketSession session, int channel, byte[] data) {
        if (base64) {
            session.sendText((char) ('0' + channel) + Base64.getEncoder().encodeToString(data));
            return;
        }
        byte[] frame = new byte[data.length + 1];
        frame[0] = (byte) channel;
        System.arraycopy(data, 0, frame, 1, data.length);
        session.sendBinary(frame);
    }

    /** The message, or null if it is empty or not valid base64 (wsstream drops those). */
    Message decode(byte[] raw) {
        if (raw.length == 0) {
            return null;
        }
        int channel = raw[0] & 0xff;
        byte[] data = java.util.Arrays.copyOfRange(raw, 1, raw.length);
        if (base64 && channel != CLOSE_SIGNAL) {
            channel -= '0';
            try {
                data = Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return new Message(channel, data);
    }

    Message decode(String text) {
        return decode(text.getBytes(StandardCharsets.UTF_8));
    }
}
