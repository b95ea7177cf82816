package dev.drydock.fake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small POSIX shell: a script of simple commands joined by {@code ;}, newlines, {@code &&} and {@code ||}, with
 * quotes, {@code $VAR}/{@code ${VAR}}/{@code $?}/{@code $1}, assignments, {@code >&2}, {@code >/dev/null}, and
 * {@code >}/{@code >>} to a file of a writable volume; the {@code exit}, {@code export}, {@code read}, {@code cd}
 * builtins and the commands of {@link Builtins}. Without {@code -c} it reads commands from stdin, a line at a time
 * (with a prompt on a terminal). What it does not know (pipes, input redirection, loops, substitutions) it refuses
 * as a syntax error, saying so, rather than pretend.
 */
final class Shell implements Program {

    private static final Set<String> KEYWORDS = Set.of("if", "then", "else", "elif", "fi", "for", "while", "until",
            "do", "done", "case", "esac", "function", "{", "}", "(", ")", "select");

    private enum Join { SEQ, AND, OR }

    /** A word as written: literal text and variables, expanded when its command runs. */
    private record Word(List<Object> parts, boolean quoted) {
    }

    private record Var(String name) {
    }

    /**
     * One simple command; {@code stdout}: 1, 2 (to stderr), 0 (discarded) or {@link #TO_FILE}; {@code stderr}: 2,
     * 1, 0 or {@link #TO_FILE}; the files of {@code >}/{@code >>} (null: none), and whether they are appended to.
     */
    private record Command(Join join, List<Word> words, int stdout, int stderr, String outFile, boolean outAppend,
                           String errFile, boolean errAppend) {
    }

    /** A redirection to a file of the container's volumes. */
    private static final int TO_FILE = 3;

    private final String script;      // null: commands come from stdin
    private final List<String> positional;
    private final Map<String, String> vars = new LinkedHashMap<>();
    private final ArrayDeque<Command> queue = new ArrayDeque<>();
    private final ByteArrayOutputStream input = new ByteArrayOutputStream();
    private ProgramContext ctx;
    private int status;
    private Child child;
    private List<String> reading;     // the variables of a pending `read`
    private boolean stdinEof;
    private boolean done;
    private boolean pumping;          // inside pump(): what a nested call would do, its loop does
    private boolean prompted;

    private Shell(String script, List<String> positional) {
        this.script = script;
        this.positional = positional;
    }

    /** The shell for {@code sh [-c script [name args...]]}, or a program that fails as sh does. */
    static Program of(List<String> argv) {
        List<String> a = argv.subList(1, argv.size());
        int i = 0;
        boolean command = false;
        while (i < a.size() && a.get(i).startsWith("-") && a.get(i).length() > 1) {
            String opt = a.get(i++);
            if (opt.equals("--")) {
                break;
            }
            command |= opt.indexOf('c') > 0;
        }
        if (command) {
            if (i >= a.size()) {
                return fail("sh: -c requires an argument\n", 2);
            }
            List<String> positional = new ArrayList<>();
            positional.add(i + 1 < a.size() ? a.get(i + 1) : argv.get(0));
            if (i + 2 < a.size()) {
                positional.addAll(a.subList(i + 2, a.size()));
            }
            return new Shell(a.get(i), positional);
        }
        if (i < a.size()) {
            return fail("sh: can't open '" + a.get(i) + "': No such file or directory\n", 2);
        }
        return new Shell(null, List.of(argv.get(0)));
    }

    private static Program fail(String message, int code) {
        return ctx -> {
            ctx.stderr(message);
            ctx.exit(code);
        };
    }

    @Override
    public void start(ProgramContext ctx) {
        this.ctx = ctx;
        vars.putAll(ctx.env());
        if (script != null) {
            ctx.pauseInput();
            if (!parse(script, true)) {
                return;
            }
        }
        pump();
    }

    // ---- input

    @Override
    public void stdin(ProgramContext ctx, byte[] data) {
        if (child != null && child.readsStdin) {
            child.program.stdin(child, data);
            return;
        }
        input.write(data, 0, data.length);
        pump();
    }

    @Override
    public void stdinClosed(ProgramContext ctx) {
        stdinEof = true;
        if (child != null && child.readsStdin) {
            child.program.stdinClosed(child);
            return;
        }
        pump();
    }

    @Override
    public void resize(ProgramContext ctx, int width, int height) {
        if (child != null) {
            child.program.resize(child, width, height);
        }
    }

    @Override
    public void terminate(ProgramContext ctx) {
        if (child != null) {
            child.killed = true;
            child = null;
        }
        finish(143);
    }

    /** The next complete line of input, without its newline; at end of file what is left; else null. */
    private String nextLine() {
        byte[] b = input.toByteArray();
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                input.reset();
                input.write(b, i + 1, b.length - i - 1);
                return new String(b, 0, i, StandardCharsets.UTF_8);
            }
        }
        if (stdinEof && b.length > 0) {
            input.reset();
            return new String(b, StandardCharsets.UTF_8);
        }
        return null;
    }

    private boolean inputExhausted() {
        return stdinEof && input.size() == 0;
    }

    private void finishRead(String line) {
        List<String> names = reading;
        reading = null;
        String[] fields = line.trim().split("[ \\t]+", Math.max(1, names.size()));
        for (int i = 0; i < names.size(); i++) {
            vars.put(names.get(i), i < fields.length ? fields[i] : "");
        }
        status = 0;
    }

    // ---- running

    /**
     * Runs what can run now: the queued commands, a pending {@code read}, or (without {@code -c}) the next line of
     * input; returns when a command runs on (a child, a read) or input is awaited. Nested calls return at once: the
     * running loop picks up what changed.
     */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (!done && child == null) {
                if (reading != null) {
                    String line = nextLine();
                    if (line != null) {
                        finishRead(line);
                    } else if (inputExhausted()) {
                        reading = null;
                        status = 1;
                    } else {
                        ctx.resumeInput();
                        return;
                    }
                    continue;
                }
                Command cmd = queue.poll();
                if (cmd != null) {
                    if (!(cmd.join() == Join.AND && status != 0 || cmd.join() == Join.OR && status == 0)) {
                        execute(cmd);
                    }
                    continue;
                }
                if (script != null) {
                    finish(status);
                    return;
                }
                String line = nextLine();
                if (line != null) {
                    prompted = false;
                    parse(line, false);
                    continue;
                }
                if (inputExhausted()) {
                    finish(status);
                    return;
                }
                if (!prompted && ctx.tty()) {
                    ctx.stdout("/ # ");
                }
                prompted = true;
                ctx.resumeInput();
                return;
            }
        } finally {
            pumping = false;
        }
    }

    private void execute(Command cmd) {
        List<String> words = new ArrayList<>();
        for (Word w : cmd.words()) {
            String value = expand(w);
            if (!value.isEmpty() || w.quoted()) {
                words.add(value);
            }
        }
        int i = 0;
        while (i < words.size() && assignment(words.get(i))) {
            i++;
        }
        if (i == words.size()) {
            status = 0;
            return;
        }
        words = words.subList(i, words.size());
        if (!openFiles(cmd)) {
            return;
        }
        String name = words.get(0);
        switch (name) {
            case "exit" -> {
                int code = status;
                if (words.size() > 1) {
                    try {
                        code = Integer.parseInt(words.get(1)) & 0xff;
                    } catch (NumberFormatException e) {
                        ctx.stderr("sh: exit: Illegal number: " + words.get(1) + "\n");
                        code = 2;
                    }
                }
                finish(code);
            }
            case "export" -> {
                words.subList(1, words.size()).forEach(this::assignment);
                status = 0;
            }
            case "unset" -> {
                words.subList(1, words.size()).forEach(vars::remove);
                status = 0;
            }
            case "cd" -> status = 0;
            case "read" -> {
                List<String> names = new ArrayList<>();
                for (String w : words.subList(1, words.size())) {
                    if (!w.startsWith("-")) {
                        names.add(w);
                    }
                }
                reading = names.isEmpty() ? List.of("REPLY") : names;
            }
            default -> {
                Program program = Builtins.program(words);
                if (program == null) {
                    ctx.stderr("sh: " + name + ": not found\n");
                    status = 127;
                    return;
                }
                Child c = new Child(program, words, cmd);
                child = c;
                if (!c.readsStdin) {
                    ctx.pauseInput();
                    c.program.start(c);
                    return;
                }
                byte[] pending = input.toByteArray();
                input.reset();
                ctx.resumeInput();
                c.program.start(c);
                if (child == c && pending.length > 0) {
                    c.program.stdin(c, pending);
                }
                if (child == c && stdinEof) {
                    c.program.stdinClosed(c);
                }
            }
        }
    }

    /**
     * Creates (or with {@code >} empties) the files the command's output goes to, as the shell does before it runs
     * the command; false, having said why, if one cannot be written.
     */
    private boolean openFiles(Command cmd) {
        for (int fd = 0; fd < 2; fd++) {
            String f = fd == 0 ? cmd.outFile() : cmd.errFile();
            if (f == null) {
                continue;
            }
            try {
                if (fd == 0 ? cmd.outAppend() : cmd.errAppend()) {
                    ctx.appendFile(f, new byte[0]);
                } else {
                    ctx.writeFile(f, new byte[0]);
                }
            } catch (IllegalArgumentException e) {
                ctx.stderr("sh: " + e.getMessage() + "\n");
                status = 1;
                return false;
            }
        }
        return true;
    }

    /** A child exited: its status is the shell's, and what follows runs. */
    private void childExited(Child c, int code) {
        if (child != c) {
            return;
        }
        child = null;
        status = code;
        ctx.pauseInput();
        pump();
    }

    private void finish(int code) {
        if (done) {
            return;
        }
        done = true;
        queue.clear();
        ctx.exit(code);
    }

    private boolean assignment(String word) {
        int eq = word.indexOf('=');
        if (eq <= 0 || !word.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return false;
        }
        vars.put(word.substring(0, eq), word.substring(eq + 1));
        return true;
    }

    private String expand(Word w) {
        StringBuilder s = new StringBuilder();
        for (Object part : w.parts()) {
            if (part instanceof Var v) {
                s.append(value(v.name()));
            } else {
                s.append(part);
            }
        }
        return s.toString();
    }

    private String value(String name) {
        return switch (name) {
            case "?" -> Integer.toString(status);
            case "$" -> "1";
            case "#" -> Integer.toString(positional.size() - 1);
            case "@", "*" -> String.join(" ", positional.subList(1, positional.size()));
            default -> {
                if (name.chars().allMatch(Character::isDigit)) {
                    int n = Integer.parseInt(name);
                    yield n < positional.size() ? positional.get(n) : "";
                }
                yield vars.getOrDefault(name, "");
            }
        };
    }

    // ---- parsing

    /**
     * Adds the commands of {@code text} to the queue. On what this shell lacks it says so, and with {@code fatal}
     * (a {@code -c} script) exits with 2; returns false then.
     */
    private boolean parse(String text, boolean fatal) {
        List<Command> commands = new ArrayList<>();
        List<Word> words = new ArrayList<>();
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        int stdout = 1;
        int stderr = 2;
        String[] file = new String[2];      // the files stdout and stderr go to, if any
        boolean[] append = new boolean[2];
        int redirected = 1;
        Join join = Join.SEQ;
        int i = 0;
        int n = text.length();
        String unsupported = null;
        while (i <= n && unsupported == null) {
            char c = i < n ? text.charAt(i) : '\n';
            boolean endOfWord = c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|'
                    || c == '>' || c == '<';
            if (endOfWord && inWord) {
                // a redirect's file descriptor number is not a word
                String fd = literal.toString();
                if ((c == '>' || c == '<') && parts.isEmpty() && !quoted && (fd.equals("1") || fd.equals("2"))) {
                    redirected = fd.charAt(0) - '0';
                    literal.setLength(0);
                    inWord = false;
                } else {
                    words.add(word(parts, literal, quoted));
                    parts = new ArrayList<>();
                    inWord = false;
                    quoted = false;
                }
            }
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '\n' || c == ';' || c == '&' && next(text, i) == '&'
                    || c == '|' && next(text, i) == '|') {
                if (!words.isEmpty()) {
                    if (KEYWORDS.contains(plain(words.get(0)))) {
                        unsupported = plain(words.get(0));
                        break;
                    }
                    commands.add(new Command(join, List.copyOf(words), stdout, stderr, file[0], append[0], file[1],
                            append[1]));
                } else if (c == '&' || c == '|') {
                    return syntaxError("unexpected \"" + c + c + "\"", fatal);
                }
                words.clear();
                stdout = 1;
                stderr = 2;
                file[0] = null;
                file[1] = null;
                join = c == '&' ? Join.AND : c == '|' ? Join.OR : Join.SEQ;
                i += c == '&' || c == '|' ? 2 : 1;
            } else if (c == '&' || c == '|' || c == '<' || c == '`' || c == '(' || c == ')') {
                unsupported = String.valueOf(c);
            } else if (c == '>') {
                // >&2, >&1, >/dev/null, or > and >> to a file, of stdout or (2>...) of stderr
                int fd = redirected;
                redirected = 1;
                boolean appending = next(text, i) == '>';
                int start = i + (appending ? 2 : 1);
                String rest = text.substring(start).stripLeading();
                int skipped = text.length() - start - rest.length();
                if (!appending && (rest.startsWith("&2") || rest.startsWith("&1"))) {
                    int target = rest.charAt(1) - '0';
                    if (fd == 1) {
                        stdout = target;
                    } else {
                        stderr = target;
                    }
                    i = start + skipped + 2;
                } else if (rest.startsWith("/dev/null")) {
                    if (fd == 1) {
                        stdout = 0;
                    } else {
                        stderr = 0;
                    }
                    i = start + skipped + "/dev/null".length();
                } else {
                    StringBuilder name = new StringBuilder();
                    int j = start + skipped;
                    while (j < n && " \t\n;&|<>".indexOf(text.charAt(j)) < 0) {
                        char d = text.charAt(j);
                        if (d == '\'' || d == '"') {
                            int end = text.indexOf(d, j + 1);
                            if (end < 0) {
                                return syntaxError("unterminated quoted string", fatal);
                            }
                            name.append(text, j + 1, end);
                            j = end + 1;
                        } else if (d == '$' || d == '`') {
                            unsupported = "variables in a redirection's file name";
                            break;
                        } else {
                            name.append(d);
                            j++;
                        }
                    }
                    if (unsupported != null) {
                        break;
                    }
                    if (name.isEmpty()) {
                        return syntaxError("unexpected redirection", fatal);
                    }
                    file[fd == 1 ? 0 : 1] = name.toString();
                    append[fd == 1 ? 0 : 1] = appending;
                    if (fd == 1) {
                        stdout = TO_FILE;
                    } else {
                        stderr = TO_FILE;
                    }
                    i = j;
                }
            } else if (c == '#' && !inWord) {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    return syntaxError("unterminated quoted string", fatal);
                }
                literal.append(text, i + 1, end);
                inWord = true;
                quoted = true;
                i = end + 1;
            } else if (c == '"') {
                inWord = true;
                quoted = true;
                i++;
                while (true) {
                    if (i >= n) {
                        return syntaxError("unterminated quoted string", fatal);
                    }
                    char d = text.charAt(i);
                    if (d == '"') {
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "$`\"\\\n".indexOf(text.charAt(i + 1)) >= 0) {
                        literal.append(text.charAt(i + 1));
                        i += 2;
                    } else if (d == '$') {
                        i = variable(text, i, parts, literal);
                        if (i < 0) {
                            unsupported = "$(...)";
                            break;
                        }
                    } else if (d == '`') {
                        unsupported = "`...`";
                        break;
                    } else {
                        literal.append(d);
                        i++;
                    }
                }
            } else if (c == '\\') {
                if (i + 1 < n && text.charAt(i + 1) != '\n') {
                    literal.append(text.charAt(i + 1));
                    inWord = true;
                }
                i += 2;
            } else if (c == '$') {
                inWord = true;
                i = variable(text, i, parts, literal);
                if (i < 0) {
                    unsupported = "$(...)";
                }
            } else {
                literal.append(c);
                inWord = true;
                i++;
            }
        }
        if (unsupported != null) {
            return syntaxError("drydock's fake shell does not support " + unsupported, fatal);
        }
        queue.addAll(commands);
        return true;
    }

    /** Reads {@code $NAME}, {@code ${NAME}}, {@code $?}, {@code $1}... at {@code i}; -1 for a substitution. */
    private static int variable(String text, int i, List<Object> parts, StringBuilder literal) {
        int n = text.length();
        if (i + 1 >= n) {
            literal.append('$');
            return i + 1;
        }
        char c = text.charAt(i + 1);
        String name;
        int end;
        if (c == '(') {
            return -1;
        } else if (c == '{') {
            end = text.indexOf('}', i + 2);
            if (end < 0) {
                literal.append('$');
                return i + 1;
            }
            name = text.substring(i + 2, end);
            end++;
        } else if ("?$#@*".indexOf(c) >= 0 || Character.isDigit(c)) {
            name = String.valueOf(c);
            end = i + 2;
        } else if (Character.isLetter(c) || c == '_') {
            end = i + 1;
            while (end < n && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                end++;
            }
            name = text.substring(i + 1, end);
        } else {
            literal.append('$');
            return i + 1;
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
            literal.setLength(0);
        }
        parts.add(new Var(name));
        return end;
    }

    private static Word word(List<Object> parts, StringBuilder literal, boolean quoted) {
        List<Object> all = new ArrayList<>(parts);
        if (!literal.isEmpty()) {
            all.add(literal.toString());
            literal.setLength(0);
        }
        return new Word(all, quoted);
    }

    private static String plain(Word w) {
        return w.parts().size() == 1 && w.parts().get(0) instanceof String s && !w.quoted() ? s : "";
    }

    private static char next(String text, int i) {
        return i + 1 < text.length() ? text.charAt(i + 1) : 0;
    }

    private boolean syntaxError(String message, boolean fatal) {
        ctx.stderr("sh: syntax error: " + message + "\n");
        status = 2;
        if (fatal) {
            finish(2);
        }
        return false;
    }

    // ---- a child command

    /** A command the shell runs: its context is the shell's, but its exit returns to the shell. */
    private final class Child implements ProgramContext {
        final Program program;
        final List<String> argv;
        final boolean readsStdin;
        final int stdout;
        final int stderr;
        final Command cmd;
        boolean exited;
        boolean killed;

        Child(Program program, List<String> argv, Command cmd) {
            this.program = program;
            this.argv = List.copyOf(argv);
            this.readsStdin = Builtins.readsStdin(argv.get(0));
            this.stdout = cmd.stdout();
            this.stderr = cmd.stderr();
            this.cmd = cmd;
        }

        private boolean current() {
            return child == this && !exited && !killed;
        }

        @Override
        public List<String> argv() {
            return argv;
        }

        @Override
        public Map<String, String> env() {
            return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        }

        @Override
        public String hostname() {
            return ctx.hostname();
        }

        @Override
        public Instant now() {
            return ctx.now();
        }

        @Override
        public boolean tty() {
            return ctx.tty();
        }

        @Override
        public boolean stdout(byte[] data) {
            return current() ? write(stdout, cmd.outFile(), data) : true;
        }

        @Override
        public boolean stderr(byte[] data) {
            return current() ? write(stderr, cmd.errFile(), data) : true;
        }

        private boolean write(int fd, String file, byte[] data) {
            return switch (fd) {
                case 1 -> ctx.stdout(data);
                case 2 -> ctx.stderr(data);
                case TO_FILE -> {
                    try {
                        ctx.appendFile(file, data);
                    } catch (IllegalArgumentException e) {
                        ctx.stderr("sh: " + e.getMessage() + "\n"); // the volume went away meanwhile
                    }
                    yield true;
                }
                default -> true;
            };
        }

        @Override
        public void whenOutputReady(Runnable action) {
            ctx.whenOutputReady(() -> {
                if (current()) {
                    action.run();
                }
            });
        }

        @Override
        public void pauseInput() {
            if (current()) {
                ctx.pauseInput();
            }
        }

        @Override
        public void resumeInput() {
            if (current()) {
                ctx.resumeInput();
            }
        }

        @Override
        public Runnable after(Duration delay, Runnable action) {
            return ctx.after(delay, () -> {
                if (current()) {
                    action.run();
                }
            });
        }

        @Override
        public void exit(int exitCode) {
            if (exited || killed) {
                return;
            }
            exited = true;
            childExited(this, exitCode);
        }

        @Override
        public boolean exited() {
            return exited || killed;
        }

        @Override
        public byte[] readBytes(String path) {
            return ctx.readBytes(path);
        }

        @Override
        public boolean isFile(String path) {
            return ctx.isFile(path);
        }

        @Override
        public List<String> files() {
            return ctx.files();
        }

        @Override
        public void writeFile(String path, byte[] data) {
            ctx.writeFile(path, data);
        }

        @Override
        public void appendFile(String path, byte[] data) {
            ctx.appendFile(path, data);
        }

        @Override
        public void useMemory(long bytes) {
            if (current()) {
                ctx.useMemory(bytes);
            }
        }

        @Override
        public void useCpu(long millicores) {
            if (current()) {
                ctx.useCpu(millicores);
            }
        }
    }
}
