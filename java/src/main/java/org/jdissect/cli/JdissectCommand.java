package org.jdissect.cli;

import java.io.PrintWriter;
import java.util.List;
import java.io.UncheckedIOException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import org.jdissect.JdissectException;
import org.jdissect.io.Invocation;

@Command(name = "jdissect", mixinStandardHelpOptions = true, version = "jdissect 0.1.0",
        description = {"Network dissection of any ONNX model: which concept each unit detects.", ""},
        subcommands = {DemoCommand.class, SynthCommand.class, LayersCommand.class, DissectCommand.class,
                ReportCommand.class, AblateCommand.class, ExplainCommand.class, GanDissectCommand.class,
                GanEditCommand.class, GanEffectCommand.class, ComposeCommand.class, AttackCommand.class, PaintCommand.class,
                CommandLine.HelpCommand.class},
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
        CommandLine cl = commandLine();
        ((JdissectCommand) cl.getCommand()).invocation = Invocation.cli(args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new JdissectCommand());
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
