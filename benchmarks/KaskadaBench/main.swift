// kaskada-bench: the reference workloads (shared/reference/README.md) through Kaskada's engine.
//
//   kaskada-bench cascade N SAMPLES [--p 0.65] [--full] [--padded-ids] [--check] [--quiet]
//       workload 1: Buldyrev et al. 2010 cascade, two ER(N, 4) networks (realization 0), attacks
//       SEED_R(0..SAMPLES-1); per-sample P_inf and time, then one summary line `tool=kaskada ...`.
//       The engine's incremental giant-component step by default; --full: a full search every step.
//       --check also runs the reference's alternating round structure (plain Swift, untimed) and
//       compares the working sets sample by sample; --padded-ids names assets a0000123 so that the
//       engine's tie rule (smallest id in byte order) coincides with the reference's (lowest index).
//   kaskada-bench frag SAMPLES THREADS [--reps 5]
//       workload 3: fragility Monte Carlo, N = 100,000, 4 sectors; samples 0..SAMPLES-1 in
//       contiguous chunks over THREADS threads; median of REPS repetitions; one summary line.
//
// Summary lines are `key=value` pairs like the C reference's, for benchmarks/run.sh.
#if canImport(Glibc)
import Glibc
#endif

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "cascade": runCascade(Array(args.dropFirst()))
case "frag": runFrag(Array(args.dropFirst()))
case "load":
    fail("load: loading lives in ModelIO, which this target does not depend on; use benchmarks/load-1m.sh (kaskada validate --timings)")
default:
    fail("usage: kaskada-bench cascade N SAMPLES [--p 0.65] [--full] [--padded-ids] [--check] [--quiet] | frag SAMPLES THREADS [--reps 5]")
}
