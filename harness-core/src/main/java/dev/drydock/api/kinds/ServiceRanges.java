package dev.drydock.api.kinds;

import java.nio.charset.StandardCharsets;
import java.util.function.LongPredicate;

/**
 * The ranges Services are given addresses and ports from, as kube-apiserver's defaults: cluster IPs from the service
 * CIDR {@code 10.96.0.0/12} (its network and broadcast addresses excluded, its first address being the
 * {@code kubernetes} Service's), node ports from {@code 30000-32767}.
 *
 * <p>kube splits each range in two bands: a value chosen by the server comes from the upper band when it can, so
 * that the lower band (the first 256 addresses, the first 86 ports) stays free for values users ask for. drydock
 * does the same, but where kube draws at random it starts from a hash of the Service's name and takes the next free
 * value, so that a run can be replayed.
 */
final class ServiceRanges {

    /** kube-apiserver's default {@code --service-cluster-ip-range}. */
    static final String SERVICE_CIDR = "10.96.0.0/12";
    static final int NODE_PORT_MIN = 30000;
    static final int NODE_PORT_MAX = 32767;

    private static final long NETWORK = NetValidation.ipv4("10.96.0.0");
    private static final long SIZE = 1L << 20;
    /** Addresses that can be allocated: all but the network and broadcast addresses. */
    private static final long IPS = SIZE - 2;
    private static final long IP_LOWER_BAND = Math.min(Math.max(16, IPS / 16), 256);
    private static final long PORTS = NODE_PORT_MAX - NODE_PORT_MIN + 1;
    private static final long PORT_LOWER_BAND = Math.min(Math.max(16, PORTS / 32), 128);

    private ServiceRanges() {
    }

    /** The first address of the range, kept for the {@code kubernetes} Service: {@code 10.96.0.1}. */
    static String kubernetesServiceIP() {
        return NetValidation.ipv4String(NETWORK + 1);
    }

    /** Whether an IPv4 address (as a number) can be allocated from the service CIDR. */
    static boolean inIPRange(long ip) {
        return ip > NETWORK && ip < NETWORK + SIZE - 1;
    }

    static boolean inNodePortRange(long port) {
        return port >= NODE_PORT_MIN && port <= NODE_PORT_MAX;
    }

    /**
     * A free cluster IP for the Service named {@code key}, or null when the range is full: from the upper band first,
     * then the lower one (never the {@code kubernetes} Service's address).
     */
    static String nextIP(String key, LongPredicate free) {
        long offset = next(hash(key), IPS, IP_LOWER_BAND, 1, o -> free.test(NETWORK + 1 + o));
        return offset < 0 ? null : NetValidation.ipv4String(NETWORK + 1 + offset);
    }

    /** A free node port for port {@code index} of the Service named {@code key}, or -1 when the range is full. */
    static int nextNodePort(String key, int index, LongPredicate free) {
        long offset = next(hash(key + "#" + index), PORTS, PORT_LOWER_BAND, 0, o -> free.test(NODE_PORT_MIN + o));
        return offset < 0 ? -1 : (int) (NODE_PORT_MIN + offset);
    }

    /**
     * The first free offset from {@code hash}'s place in the upper band {@code [lower, size)}, going round it, then
     * from {@code lowerFrom} in the lower band; -1 if none is free.
     */
    private static long next(long hash, long size, long lower, long lowerFrom, LongPredicate free) {
        long upper = size - lower;
        long start = Long.remainderUnsigned(hash, upper);
        for (long i = 0; i < upper; i++) {
            long offset = lower + (start + i) % upper;
            if (free.test(offset)) {
                return offset;
            }
        }
        for (long offset = lowerFrom; offset < lower; offset++) {
            if (free.test(offset)) {
                return offset;
            }
        }
        return -1;
    }

    /** FNV-1a, 64 bits. */
    private static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
