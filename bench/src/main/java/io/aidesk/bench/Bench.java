package io.aidesk.bench;

import java.util.Arrays;

/** ./aidesk bench ingest|fairness|retrieval|eval|fit|understand|scenarios|agent|audit|gaps|replay [options]: see bench/README.md. */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (which) {
            case "ingest" -> IngestBench.run(rest);
            case "fairness" -> FairnessBench.run(rest);
            case "retrieval" -> RetrievalBench.run(rest);
            case "eval" -> io.aidesk.bench.eval.EvalBench.run(rest);
            case "fit" -> io.aidesk.bench.eval.Fit.run(rest);
            case "understand" -> io.aidesk.bench.understanding.UnderstandingFit.run(rest);
            case "scenarios" -> io.aidesk.bench.scenarios.ScenarioBench.run(rest);
            case "agent" -> AgentBench.run(rest);
            case "audit" -> AuditBench.run(rest);
            case "gaps" -> GapsBench.run(rest);
            case "replay" -> ReplayBench.run(rest);
            default -> {
                System.err.println("usage: bench ingest [--pages 1000 | --corpus git] [--no-warm-up] | fairness [--pages 1000] [--no-fairness] | retrieval [--chunks 200000] [--tenants 20] [--reuse] | eval [--corpora a,b] [--reuse] | fit | understand | scenarios [--split tune|held]"
                        + " | agent [--runs 40] [--tenants 10] [--per-tenant 10] | audit [--runs 300] | gaps | replay [--conversations 500] [--workers 1]");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    static String textOption(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--" + name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    static int option(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--" + name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
