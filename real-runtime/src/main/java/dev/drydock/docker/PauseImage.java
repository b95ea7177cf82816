package dev.drydock.docker;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The image of a pod's sandbox container, which holds the pod's network namespace as Kubernetes' pause container
 * does. No registry may be reachable, so drydock makes it itself: a root file system holding one static program of a
 * few bytes that waits for signals forever, imported into the engine ({@code docker import}) on first use. As PID 1
 * without handlers it ignores SIGTERM; the runtime stops it with SIGKILL.
 */
final class PauseImage {

    /** The image's name; its tag changes whenever its content does. */
    static final String NAME = "drydock/pause:1";

    private PauseImage() {
    }

    /** The root file system, as a tar archive for {@code docker import}. */
    static byte[] rootfs(String architecture) {
        return new Tar().file("pause", program(architecture), 0755).bytes();
    }

    /**
     * A static ELF executable looping on a system call that waits for a signal.
     *
     * @throws IllegalStateException for an architecture it has no code for, naming the ones it has
     */
    static byte[] program(String architecture) {
        int machine;
        byte[] code;
        switch (architecture) {
            case "amd64", "x86_64" -> {
                machine = 0x3e;
                // loop: mov eax, 34 (pause); syscall; jmp loop
                code = new byte[] {(byte) 0xb8, 34, 0, 0, 0, 0x0f, 0x05, (byte) 0xeb, (byte) 0xf7};
            }
            case "aarch64", "arm64" -> {
                machine = 0xb7;
                // loop: x0..x3 = 0; x8 = 73 (ppoll); svc #0; b loop
                code = words(0xd2800000, 0xd2800001, 0xd2800002, 0xd2800003, 0xd2800928, 0xd4000001,
                        0x17fffffa);
            }
            default -> throw new IllegalStateException("drydock has no pause program for the architecture "
                    + architecture + " (it has amd64 and arm64)");
        }
        long base = 0x400000;
        int headers = 64 + 56;
        ByteBuffer b = ByteBuffer.allocate(headers + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        b.putShort((short) 2); // an executable
        b.putShort((short) machine);
        b.putInt(1);
        b.putLong(base + headers); // entry: the code right after the headers
        b.putLong(64); // program headers
        b.putLong(0); // no section headers
        b.putInt(0);
        b.putShort((short) 64);
        b.putShort((short) 56);
        b.putShort((short) 1);
        b.putShort((short) 64);
        b.putShort((short) 0);
        b.putShort((short) 0);
        b.putInt(1); // PT_LOAD of the whole file
        b.putInt(5); // read and execute
        b.putLong(0);
        b.putLong(base);
        b.putLong(base);
        b.putLong(headers + code.length);
        b.putLong(headers + code.length);
        b.putLong(0x1000);
        b.put(code);
        return b.array();
    }

    private static byte[] words(int... instructions) {
        ByteBuffer b = ByteBuffer.allocate(instructions.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : instructions) {
            b.putInt(i);
        }
        return b.array();
    }
}
