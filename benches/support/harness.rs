//! A self-made benchmark harness: warm up, time N iterations, report min / median / p95 per
//! benchmark in a table, and say whether each meets its target. Targets are reported, never
//! asserted: the numbers depend on the machine, so a miss is for a person to read.

use std::time::{Duration, Instant};

/// One measured benchmark.
struct Measured {
    name: String,
    target: Duration,
    /// Sorted, fastest first.
    samples: Vec<Duration>,
}

impl Measured {
    fn quantile(&self, q: f64) -> Duration {
        // Nearest rank: the p95 of 20 samples is the 19th, never an interpolation.
        let n = self.samples.len();
        let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
        self.samples[rank - 1]
    }
}

/// Which figure a target is judged on.
#[derive(Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // each bench uses one of them
pub enum Judge {
    /// The median (a typical keystroke).
    Median,
    /// The 95th percentile (nearly every frame).
    P95,
}

/// A group of benchmarks printed as one table.
pub struct Suite {
    title: String,
    judge: Judge,
    /// Only benchmarks whose name contains this run (`cargo bench --bench x -- word`).
    filter: Option<String>,
    results: Vec<Measured>,
}

impl Suite {
    /// A suite whose targets are judged on `judge`; the first free argument (after
    /// `cargo bench -- `) filters benchmarks by name.
    pub fn new(title: &str, judge: Judge) -> Self {
        let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
        Suite {
            title: title.to_string(),
            judge,
            filter,
            results: Vec::new(),
        }
    }

    /// Run `warmup` untimed then `iters` timed iterations of `sample`, which does any
    /// preparation itself and returns the time of the part being measured (see [`time`]).
    pub fn run(
        &mut self,
        name: &str,
        target: Duration,
        warmup: usize,
        iters: usize,
        mut sample: impl FnMut() -> Duration,
    ) {
        if self.filter.as_deref().is_some_and(|f| !name.contains(f)) {
            return;
        }
        for _ in 0..warmup {
            std::hint::black_box(sample());
        }
        let mut samples: Vec<Duration> = (0..iters.max(1)).map(|_| sample()).collect();
        samples.sort();
        let m = Measured {
            name: name.to_string(),
            target,
            samples,
        };
        eprintln!("  {:<58} median {}", m.name, ms(m.quantile(0.5)));
        self.results.push(m);
    }

    /// Print the table; a benchmark meets its target when its judged figure is under it.
    pub fn report(&self) {
        println!();
        println!("{}", self.title);
        println!(
            "{:<58} {:>5} {:>10} {:>10} {:>10} {:>10}  result",
            "benchmark", "n", "min", "median", "p95", "target"
        );
        let mut missed = 0;
        for m in &self.results {
            let p95 = m.quantile(0.95);
            let judged = match self.judge {
                Judge::Median => m.quantile(0.5),
                Judge::P95 => p95,
            };
            let ok = judged <= m.target;
            if !ok {
                missed += 1;
            }
            println!(
                "{:<58} {:>5} {:>10} {:>10} {:>10} {:>10}  {}",
                m.name,
                m.samples.len(),
                ms(m.samples[0]),
                ms(m.quantile(0.5)),
                ms(p95),
                format!("≤ {}", ms(m.target)),
                if ok { "ok" } else { "MISSED" }
            );
        }
        println!(
            "{} of {} benchmarks meet their target ({} at or under target)",
            self.results.len() - missed,
            self.results.len(),
            match self.judge {
                Judge::Median => "median",
                Judge::P95 => "p95",
            }
        );
    }
}

/// Time one call of `f`, keeping its result alive (and out of the measurement: it is dropped
/// by the caller after the clock stops).
pub fn time<R>(f: impl FnOnce() -> R) -> (Duration, R) {
    let start = Instant::now();
    let r = std::hint::black_box(f());
    (start.elapsed(), r)
}

/// A duration in milliseconds with three decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}
