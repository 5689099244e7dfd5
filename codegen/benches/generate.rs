//! Times the whole generator on the real spec: load, validate, emit and format every file (emit
//! and format run together on every core), without writing. `cargo bench -p codegen` prints each
//! phase's median over repeated runs, without the format cache (what a first run does).

use codegen::pass::Timings;
use std::path::Path;
use std::time::Duration;

const RUNS: usize = 30;

/// Reads one phase's time out of a run's timings.
type Phase = fn(&Timings) -> Duration;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = root.join("spec");
    let target = codegen::emit::Target {
        src_dir: root.join("generated/src"),
        docs_dir: root.join("generated/docs"),
        openapi_dir: root.join("generated/openapi"),
    };
    let mut runs = Vec::new();
    let mut lines = 0;
    let no_cache = codegen::format_cache::FormatCache::default();
    for _ in 0..RUNS {
        let mut timings = Timings::default();
        let rendered = codegen::pass::load(&spec, &mut timings)
            .and_then(|api| codegen::pass::render(&api, &target, &no_cache, &mut timings));
        match rendered {
            Ok((files, _)) => lines = files.iter().map(|f| f.text.lines().count()).sum(),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
        runs.push(timings);
    }
    let threads = runs[0].threads;
    println!("generator on spec/ ({lines} lines generated), median of {RUNS} runs:");
    let phases: [(&str, Phase); 6] = [
        ("load", |t| t.load),
        ("validate", |t| t.validate),
        ("emit + format", |t| t.emit_and_format),
        ("  emit (summed)", |t| t.emit),
        ("  format (summed)", |t| t.format),
        ("total", |t| t.total()),
    ];
    for (phase, time) in phases {
        let times: Vec<Duration> = runs.iter().map(time).collect();
        println!("  {phase:<18} {:>10.2?}", median(&times));
    }
    println!("  (emit and format on {threads} threads)");
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}
