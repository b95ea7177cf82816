package dev.drydock.runtime;

/**
 * The client's side of an exec'd or attached process, as kube's remotecommand options give it.
 *
 * @param stdin    whether the client sends stdin (the stream's {@link StreamHandle#input()} then takes it)
 * @param stdout   where the process's stdout goes, or {@link ByteSink#DISCARD} if the client did not ask for it
 * @param stderr   where its stderr goes, or {@link ByteSink#DISCARD}; with a TTY, stderr goes to stdout
 * @param tty      whether the process runs on a terminal
 * @param listener hears how the process ended
 */
public record ProcessIo(boolean stdin, ByteSink stdout, ByteSink stderr, boolean tty, StreamListener listener) {
}
