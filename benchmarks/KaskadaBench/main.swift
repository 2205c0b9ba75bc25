import CAllocator

// kaskada-bench: the reference workloads (shared/reference/README.md) through Kaskada's engine.
//
//   kaskada-bench cascade N SAMPLES [--p 0.65] [--full] [--via-network [--padded-ids]] [--check] [--quiet]
//       workload 1: Buldyrev et al. 2010 cascade, two ER(N, 4) networks (realization 0), attacks
//       SEED_R(0..SAMPLES-1); per-sample P_inf and time, then one summary line `tool=kaskada ...`.
//       The engine's incremental giant-component step by default; --full: a full search every step.
//       The graph is compiled from the engine's plain columns (ids zero-padded: id order is index
//       order, the reference's tie rule); --via-network builds the whole `Network` first, as a
//       loaded model would be (ids a0, a1, … unless --padded-ids), and reports its memory.
//       --check also runs the reference's alternating round structure (plain Swift, untimed) and
//       compares the working sets sample by sample.
//   kaskada-bench frag SAMPLES THREADS [--reps 5]
//       workload 3: fragility Monte Carlo, N = 100,000, 4 sectors; samples 0..SAMPLES-1 in
//       contiguous chunks over THREADS threads; median of REPS repetitions; one summary line.
//
// Summary lines are `key=value` pairs like the C reference's, for benchmarks/run.sh.
#if canImport(Glibc)
    import Glibc
#endif

// Large arrays come straight from mmap and go back to the system when freed (glibc would
// otherwise raise its mmap threshold after the first large free and keep build temporaries in
// the heap, inflating the resident size the suite reports).
_ = kaskada_mmap_large_allocations(256 * 1024)

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "cascade": runCascade(Array(args.dropFirst()))
case "frag": runFrag(Array(args.dropFirst()))
case "load":
    fail("load: loading lives in ModelIO, which this target does not depend on; use benchmarks/load-1m.sh (kaskada validate --timings)")
default:
    fail(
        "usage: kaskada-bench cascade N SAMPLES [--p 0.65] [--full] [--via-network [--padded-ids]] [--check] [--quiet] | frag SAMPLES THREADS [--reps 5]"
    )
}
