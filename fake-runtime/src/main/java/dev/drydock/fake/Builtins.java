package dev.drydock.fake;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The commands every fake image has, enough for the lines manifests and {@code kubectl exec} use most: {@code sh}
 * (with {@code -c}, or reading commands from stdin; {@code ;}, {@code &&}, {@code ||}, quotes, {@code $VAR},
 * {@code >&2}, {@code read}, {@code exit N}, {@code export}), {@code echo}, {@code cat} (of stdin, or of the
 * container's volumes' files),
 * {@code env}, {@code printenv}, {@code sleep}, {@code true}, {@code false}, {@code hostname}, {@code pwd},
 * {@code date} and {@code httpd} (busybox's, whose port {@link FakeImages} serves). A command is found by its name or its path ({@code /bin/echo}).
 */
public final class Builtins {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss 'UTC' yyyy",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private Builtins() {
    }

    /** The program for a command line, or null if no built-in command has its name. */
    public static Program program(List<String> argv) {
        if (argv.isEmpty()) {
            return null;
        }
        List<String> args = argv.subList(1, argv.size());
        return switch (name(argv.get(0))) {
            case "sh", "ash", "bash" -> Shell.of(argv);
            case "echo" -> echo(args);
            case "cat" -> new Cat(args);
            case "env" -> ctx -> {
                StringBuilder s = new StringBuilder();
                ctx.env().forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
                ctx.stdout(s.toString());
                ctx.exit(0);
            };
            case "printenv" -> ctx -> {
                if (args.isEmpty()) {
                    StringBuilder s = new StringBuilder();
                    ctx.env().forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
                    ctx.stdout(s.toString());
                    ctx.exit(0);
                    return;
                }
                int status = 0;
                for (String name : args) {
                    String v = ctx.env().get(name);
                    if (v == null) {
                        status = 1;
                    } else {
                        ctx.stdout(v + "\n");
                    }
                }
                ctx.exit(status);
            };
            case "sleep" -> sleep(args);
            // busybox httpd: its port is served while the container runs (BusyboxHttpd); in the foreground (-f) it
            // runs until stopped, else it goes to the background and the command returns at once
            case "httpd" -> args.contains("-f") ? sleeper() : exit(0);
            case "true", ":" -> exit(0);
            case "false" -> exit(1);
            case "hostname" -> ctx -> {
                ctx.stdout(ctx.hostname() + "\n");
                ctx.exit(0);
            };
            case "pwd" -> ctx -> {
                ctx.stdout("/\n");
                ctx.exit(0);
            };
            case "date" -> ctx -> {
                ctx.stdout(DATE.format(ctx.now()) + "\n");
                ctx.exit(0);
            };
            default -> null;
        };
    }

    /** Sleeps until stopped: what an image without a command of its own does. */
    public static Program sleeper() {
        return ctx -> {
        };
    }

    /**
     * The main process of a container whose behaviour threw instead of giving one: it writes why to stderr (so to
     * the container's log) and exits with 1, as a process that crashes at start does.
     */
    static Program crashed(String what, Throwable e) {
        return ctx -> {
            ctx.stderr("drydock: " + what + " failed: " + e + "\n");
            ctx.exit(1);
        };
    }

    /** Whether the command named by {@code argv0} reads its stdin. */
    static boolean readsStdin(String argv0) {
        return switch (name(argv0)) {
            case "sh", "ash", "bash", "cat" -> true;
            default -> false;
        };
    }

    static String name(String argv0) {
        int slash = argv0.lastIndexOf('/');
        return slash < 0 ? argv0 : argv0.substring(slash + 1);
    }

    private static Program exit(int code) {
        return ctx -> ctx.exit(code);
    }

    private static Program echo(List<String> args) {
        boolean newline = true;
        List<String> words = args;
        if (!words.isEmpty() && words.get(0).equals("-n")) {
            newline = false;
            words = words.subList(1, words.size());
        }
        String text = String.join(" ", words) + (newline ? "\n" : "");
        return ctx -> {
            ctx.stdout(text);
            ctx.exit(0);
        };
    }

    private static Program sleep(List<String> args) {
        return new Program() {
            private Runnable timer;

            @Override
            public void start(ProgramContext ctx) {
                if (args.isEmpty()) {
                    ctx.stderr("sleep: missing operand\n");
                    ctx.exit(1);
                    return;
                }
                if (args.get(0).equals("infinity")) {
                    return;
                }
                double seconds;
                try {
                    seconds = Double.parseDouble(args.get(0).replaceAll("[smhd]$", ""));
                    seconds *= switch (args.get(0).charAt(args.get(0).length() - 1)) {
                        case 'm' -> 60;
                        case 'h' -> 3600;
                        case 'd' -> 86400;
                        default -> 1;
                    };
                } catch (NumberFormatException e) {
                    ctx.stderr("sleep: invalid number '" + args.get(0) + "'\n");
                    ctx.exit(1);
                    return;
                }
                timer = ctx.after(Duration.ofNanos((long) (seconds * 1e9)), () -> ctx.exit(0));
            }

            @Override
            public void terminate(ProgramContext ctx) {
                if (timer != null) {
                    timer.run();
                }
                ctx.exit(143);
            }
        };
    }

    /**
     * {@code cat}: its files (of the container's volumes) to stdout, or without any (or with {@code -}) stdin to
     * stdout, slowing its input when its reader is slow.
     */
    private static final class Cat implements Program {
        private final List<String> files;

        Cat(List<String> files) {
            this.files = files;
        }

        @Override
        public void start(ProgramContext ctx) {
            if (files.isEmpty() || files.equals(List.of("-"))) {
                return; // reads stdin
            }
            int status = 0;
            for (String f : files) {
                if (f.equals("-")) {
                    continue; // stdin among files: what it holds is not waited for
                }
                if (ctx.isFile(f)) {
                    ctx.stdout(ctx.readBytes(f));
                } else {
                    ctx.stderr("cat: can't open '" + f + "': No such file or directory\n");
                    status = 1;
                }
            }
            ctx.exit(status);
        }

        @Override
        public void stdin(ProgramContext ctx, byte[] data) {
            if (!ctx.stdout(data)) {
                ctx.pauseInput();
                ctx.whenOutputReady(ctx::resumeInput);
            }
        }

        @Override
        public void stdinClosed(ProgramContext ctx) {
            ctx.exit(0);
        }
    }
}
