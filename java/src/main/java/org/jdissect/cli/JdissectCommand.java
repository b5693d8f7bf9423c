package org.jdissect.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import org.jdissect.JdissectException;
import org.jdissect.io.Invocation;

@Command(name = "jdissect", mixinStandardHelpOptions = true, version = "jdissect 0.1.0",
        description = {"Network dissection of any ONNX model: which concept each unit detects.", ""},
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 bad usage. 'jdissect help COMMAND' shows a command's options."})
public final class JdissectCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Who runs: recorded in the provenance of every output. */
    private Invocation invocation = Invocation.cli();

    Invocation invocation() {
        return invocation;
    }

    static int execute(String... args) {
        return execute(System.out, System.err, args);
    }

    /** Runs a command line with its output, its errors and the library's log lines on the given streams. */
    static int execute(java.io.PrintStream out, java.io.PrintStream err, String... args) {
        CliLogging.install(err);
        CommandLine cl = commandLine(args.length > 0 ? args[0] : null);
        ((JdissectCommand) cl.getCommand()).invocation = Invocation.cli(args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /**
     * The subcommands, in the order the usage lists them, made on demand: picocli reflects over every command it is
     * given, and the twelve a run does not use took 0.15 to 0.2 s of its start (2-core VM, 2026-11-28).
     */
    static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("demo", DemoCommand::new);
        m.put("synth", SynthCommand::new);
        m.put("layers", LayersCommand::new);
        m.put("dissect", DissectCommand::new);
        m.put("report", ReportCommand::new);
        m.put("ablate", AblateCommand::new);
        m.put("explain", ExplainCommand::new);
        m.put("gan-dissect", GanDissectCommand::new);
        m.put("gan-edit", GanEditCommand::new);
        m.put("gan-effect", GanEffectCommand::new);
        m.put("compose", ComposeCommand::new);
        m.put("attack", AttackCommand::new);
        m.put("paint", PaintCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return Collections.unmodifiableMap(m);
    }

    /** Every command, as the usage and {@code help} show them. */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line for arguments that begin with {@code first}: when it names a command other than {@code help},
     * that command alone under the root; otherwise (the usage, {@code help}, a misspelt command that wants
     * suggestions) every command.
     */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new JdissectCommand());
        boolean one = first != null && COMMANDS.containsKey(first) && !"help".equals(first);
        for (Map.Entry<String, Supplier<Object>> c : COMMANDS.entrySet()) {
            if (!one || c.getKey().equals(first)) {
                cl.addSubcommand(c.getKey(), c.getValue().get());
            }
        }
        cl.setExecutionExceptionHandler(JdissectCommand::handle);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            // an unknown option or command is the cause when there is one: a missing required option that it
            // misspells ("--layr" for "--layer") is only its consequence
            CommandLine.UnmatchedArgumentException unmatched = ex instanceof CommandLine.UnmatchedArgumentException u ? u
                    : null;
            List<String> unknown = ex.getCommandLine().getParseResult() == null ? List.of()
                    : ex.getCommandLine().getParseResult().unmatched();
            if (unmatched == null && !unknown.isEmpty()) {
                unmatched = new CommandLine.UnmatchedArgumentException(ex.getCommandLine(), unknown);
            }
            err.println("jdissect: " + (unmatched != null ? unmatched.getMessage() : ex.getMessage()));
            if (unmatched != null) {
                CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, err);
            }
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        return cl;
    }

    /** A user error prints its message alone; anything else is a bug and keeps its stack trace. */
    private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (ex instanceof JdissectException je) {
            err.println("jdissect: " + je.getMessage());
            return je.exitCode();
        }
        if (ex instanceof UncheckedIOException io) {
            err.println("jdissect: " + io.getMessage());
            return 1;
        }
        err.println("jdissect: internal error, please report it with the command line that caused it:");
        ex.printStackTrace(err);
        return 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
