//! Times the whole generator on the real spec: load + validate, emit, and format every file.
//! `cargo bench -p codegen` prints the per-stage median and the total over repeated runs.

use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 30;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = root.join("spec");
    let target = codegen::emit::Target {
        src_dir: root.join("generated/src"),
        docs_dir: root.join("generated/docs"),
        openapi_dir: root.join("generated/openapi"),
    };
    let (mut load, mut emit, mut render) = (Vec::new(), Vec::new(), Vec::new());
    let mut lines = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let api = match codegen::load(&spec) {
            Ok(api) => api,
            Err(diags) => {
                eprintln!("the spec is invalid:\n{diags}");
                std::process::exit(1);
            }
        };
        load.push(started.elapsed());
        let started = Instant::now();
        let (files, _) = codegen::generate(&api, &target);
        emit.push(started.elapsed());
        let started = Instant::now();
        lines = 0;
        for file in &files {
            match codegen::write::render(file) {
                Ok(text) => lines += text.lines().count(),
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(1);
                }
            }
        }
        render.push(started.elapsed());
    }
    let total: Vec<Duration> = (0..RUNS).map(|i| load[i] + emit[i] + render[i]).collect();
    println!("generator on spec/ ({lines} lines generated), median of {RUNS} runs:");
    for (stage, times) in [
        ("load + validate", &load),
        ("emit", &emit),
        ("format", &render),
        ("total", &total),
    ] {
        println!("  {stage:<16} {:>10.2?}", median(times));
    }
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}
