//! `cargo xtask bench`: the benchmarks of issue #17. Never run in CI; the results go to
//! `BENCHMARKS.md` (or, with `--quick`, to `target/bench/BENCHMARKS.quick.md`); `--http` runs the
//! client and mock measurements of [`http`] instead, into `BENCHMARKS-http.md`.
//!
//! Each measurement is a function from the [`Context`] to report [`Section`]s, listed in
//! [`MEASUREMENTS`]. Competing commands run interleaved (ours, theirs, ours, theirs, ...) so that
//! a noisy machine slows both alike, and each result is a median with its min–max spread.

mod generation;
pub mod http;

pub use generation::pass;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A measurement: its name (for `--only`) and what runs it.
type Measurement = fn(&Context) -> Result<Vec<Section>, String>;

/// Every measurement, in report order.
const MEASUREMENTS: &[(&str, Measurement)] = &[
    ("generation", generation::generation),
    ("compile", generation::compile),
];

/// The command line of `cargo xtask bench`.
pub struct Options {
    /// Client overhead and mock throughput over loopback instead ([`http`]; its report goes to
    /// `BENCHMARKS-http.md`).
    pub http: bool,
    /// Each measurement once, with the smallest setup, to prove the harness works.
    pub quick: bool,
    /// Rounds per measurement instead of each measurement's default.
    pub runs: Option<usize>,
    /// Only these measurements.
    pub only: Vec<String>,
    /// Where the report goes instead of the default.
    pub out: Option<PathBuf>,
}

/// What every measurement gets.
pub struct Context {
    /// The workspace root.
    pub root: PathBuf,
    /// `--quick`: one run, one service, debug only.
    pub quick: bool,
    /// `--runs`, if given.
    pub runs: Option<usize>,
    /// Scratch space, `target/bench/`.
    pub work: PathBuf,
    /// Where pinned third-party tools are installed, `target/bench-tools/`.
    pub tools: PathBuf,
}

impl Context {
    /// Rounds for a measurement: 1 with `--quick`, `--runs` if given, else `default`.
    pub fn rounds(&self, default: usize) -> usize {
        if self.quick {
            1
        } else {
            self.runs.unwrap_or(default).max(1)
        }
    }

    /// The services to measure: one with `--quick`.
    pub fn services(&self) -> &'static [&'static str] {
        if self.quick {
            &["taurusdb"]
        } else {
            &["taurusdb", "dws"]
        }
    }
}

/// One measurement's part of the report.
pub struct Section {
    pub title: String,
    /// Paragraphs before the table.
    pub intro: Vec<String>,
    pub table: Table,
    /// Paragraphs after the table (findings, failures).
    pub notes: Vec<String>,
}

/// A Markdown table.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn markdown(&self) -> String {
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        let mut out = line(&self.header);
        let rule: Vec<String> = self
            .header
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { "---" } else { "---:" }.to_string())
            .collect();
        out.push_str(&line(&rule));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

/// Median and spread of repeated timings.
#[derive(Clone, Copy, Debug)]
pub struct Stats {
    pub median: Duration,
    pub min: Duration,
    pub max: Duration,
    pub runs: usize,
}

impl Stats {
    pub fn of(times: &[Duration]) -> Stats {
        let mut sorted = times.to_vec();
        sorted.sort();
        Stats {
            median: median(&sorted),
            min: sorted.first().copied().unwrap_or_default(),
            max: sorted.last().copied().unwrap_or_default(),
            runs: sorted.len(),
        }
    }

    /// `min–max`, or `1 run` when there is nothing to spread.
    pub fn spread(&self) -> String {
        if self.runs < 2 {
            "1 run".into()
        } else {
            format!("{}–{}", seconds(self.min), seconds(self.max))
        }
    }
}

/// The median of durations (the mean of the middle two for an even count).
pub fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// The median of plain numbers (ratios).
pub fn median_f64(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The ratio `theirs / ours` as the median of the per-round ratios: each round ran both
/// back to back, so a round's ratio is what the machine's noise disturbs least.
pub fn paired_ratio(ours: &[Duration], theirs: &[Duration]) -> f64 {
    let ratios: Vec<f64> = ours
        .iter()
        .zip(theirs)
        .map(|(o, t)| t.as_secs_f64() / o.as_secs_f64())
        .collect();
    median_f64(&ratios)
}

/// A duration for a table: milliseconds below a second, seconds above.
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{:.1} ms", s * 1000.0)
    } else {
        format!("{s:.2} s")
    }
}

/// A ratio for a table.
pub fn times(ratio: f64) -> String {
    if ratio.is_finite() {
        format!("{ratio:.2}x")
    } else {
        "—".into()
    }
}

/// A command as it would be typed, for error messages and the report.
pub fn shown(cmd: &Command) -> String {
    let mut text = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs a command to completion with its output captured; fails with its stderr.
pub fn run(cmd: &mut Command) -> Result<std::process::Output, String> {
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", shown(cmd)))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(format!(
            "`{}` failed ({}):\n{}{}",
            shown(cmd),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The wall time of a command run to completion (output captured, so the terminal costs nothing).
pub fn time_command(cmd: &mut Command) -> Result<Duration, String> {
    let started = Instant::now();
    run(cmd)?;
    Ok(started.elapsed())
}

/// A candidate in an interleaved comparison: prepares (untimed) and returns one run's time.
pub type Candidate<'a> = Box<dyn FnMut() -> Result<Duration, String> + 'a>;

/// Runs `rounds` rounds of every candidate in turn (a, b, a, b, ...) and returns each
/// candidate's times, in the candidates' order. Progress goes to stderr.
pub fn interleaved(
    label: &str,
    rounds: usize,
    candidates: &mut [(String, Candidate<'_>)],
) -> Result<Vec<Vec<Duration>>, String> {
    let mut results = vec![Vec::with_capacity(rounds); candidates.len()];
    for round in 0..rounds {
        for (i, (name, candidate)) in candidates.iter_mut().enumerate() {
            let time = candidate()?;
            eprintln!(
                "  {label} round {}/{rounds}: {name} {}",
                round + 1,
                seconds(time)
            );
            results[i].push(time);
        }
    }
    Ok(results)
}

/// Removes a folder if it exists.
pub fn remove_dir(dir: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", dir.display())),
    }
}

/// Lines in every `.rs` file under `dir` whose path (relative to `dir`) `keep` accepts.
pub fn rust_lines(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> usize {
    let mut total = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            let relative = path.strip_prefix(dir).unwrap_or(&path);
            if !keep(relative) {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                total += std::fs::read_to_string(&path).map_or(0, |t| t.lines().count());
            }
        }
    }
    total
}

/// Runs the selected measurements and writes the reports: by default all four, generation and
/// compile time into `BENCHMARKS.md`, then client overhead and mock throughput (`http`) into
/// `BENCHMARKS-http.md`.
pub fn bench(options: Options) -> Result<(), String> {
    let wanted = |name: &str| options.only.is_empty() || options.only.iter().any(|n| n == name);
    if options.http || (!options.only.is_empty() && options.only.iter().all(|n| n == "http")) {
        return http::run(options.quick);
    }
    for name in &options.only {
        if name != "http" && !MEASUREMENTS.iter().any(|(n, _)| n == name) {
            let mut known: Vec<&str> = MEASUREMENTS.iter().map(|(n, _)| *n).collect();
            known.push("http");
            return Err(format!(
                "unknown measurement `{name}`; known: {}",
                known.join(", ")
            ));
        }
    }
    let root = std::env::current_dir().map_err(|e| format!("no current folder: {e}"))?;
    let context = Context {
        work: root.join("target/bench"),
        tools: root.join("target/bench-tools"),
        root,
        quick: options.quick,
        runs: options.runs,
    };
    std::fs::create_dir_all(&context.work)
        .map_err(|e| format!("cannot create {}: {e}", context.work.display()))?;
    let load_before = load_average();
    let started = Instant::now();
    let mut sections = Vec::new();
    for (name, measure) in MEASUREMENTS {
        if wanted(name) {
            eprintln!("== {name}");
            // A measurement that fails is reported as such; the others still count.
            match measure(&context) {
                Ok(measured) => sections.extend(measured),
                Err(e) => {
                    eprintln!("{name} failed: {e}");
                    sections.push(Section {
                        title: format!("{name}: failed"),
                        intro: vec![format!("```\n{}\n```", e.trim())],
                        table: Table::new(&["—"]),
                        notes: Vec::new(),
                    });
                }
            }
        }
    }
    let report = report(
        &context,
        &sections,
        &options,
        &load_before,
        started.elapsed(),
    );
    let out = options.out.clone().unwrap_or_else(|| {
        if options.quick {
            context.work.join("BENCHMARKS.quick.md")
        } else {
            context.root.join("BENCHMARKS.md")
        }
    });
    std::fs::write(&out, &report).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("{report}");
    eprintln!("written to {}", out.display());
    if wanted("http") {
        eprintln!("== http");
        http::run(options.quick)?;
    }
    Ok(())
}

/// The command line that reproduces this run.
fn command_line(options: &Options) -> String {
    let mut text = String::from("cargo xtask bench");
    if options.quick {
        text.push_str(" --quick");
    }
    if let Some(runs) = options.runs {
        let _ = write!(text, " --runs {runs}");
    }
    for name in &options.only {
        let _ = write!(text, " --only {name}");
    }
    if let Some(out) = &options.out {
        let _ = write!(text, " --out {}", out.display());
    }
    text
}

fn report(
    context: &Context,
    sections: &[Section],
    options: &Options,
    load_before: &str,
    elapsed: Duration,
) -> String {
    let mut out = String::new();
    out.push_str("# Benchmarks\n\n");
    out.push_str(
        "Written by `cargo xtask bench` (issue #17); never run in CI. Re-run it on a quiet machine \
         for numbers to trust. Client overhead and mock throughput, from the same command, are in \
         [BENCHMARKS-http.md](BENCHMARKS-http.md).\n\n",
    );
    let _ = writeln!(out, "- date: {} (UTC)", today());
    let _ = writeln!(
        out,
        "- machine: {} cores (nproc), {} (uname -m), {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH,
        cpu_model()
    );
    let _ = writeln!(out, "- toolchain: {}", rustc_version());
    let _ = writeln!(
        out,
        "- load average before / after: {load_before} / {}",
        load_average()
    );
    let _ = writeln!(
        out,
        "- command: `{}` (took {:.0} s)",
        command_line(options),
        elapsed.as_secs_f64()
    );
    if context.quick {
        out.push_str(
            "- `--quick`: one run of each, one service, debug only: proves the harness, \
             measures nothing\n",
        );
    }
    out.push('\n');
    for section in sections {
        let _ = writeln!(out, "## {}\n", section.title);
        for paragraph in &section.intro {
            let _ = writeln!(out, "{paragraph}\n");
        }
        out.push_str(&section.table.markdown());
        out.push('\n');
        for paragraph in &section.notes {
            let _ = writeln!(out, "{paragraph}\n");
        }
    }
    out.push_str("## How to read this\n\n");
    out.push_str(
        "- Competing commands ran interleaved (ours, theirs, ours, theirs, ...), so a busy \
         moment slows both. Times are medians; the spread is min–max over the runs.\n\
         - Ratios are theirs / ours (above 1: we are faster), the median of the per-round \
         ratios, not the ratio of the medians.\n\
         - The machine is small (2 cores) and shared: other builds ran at the same time (see the \
         load average). Treat single numbers as rough and ratios as the finding; re-run with the \
         command above when the machine is quiet.\n\
         - The target column holds the issue's targets (generation: a full pass under 0.3 s on 2 \
         cores and at least 10x progenitor per operation; compile: at most half of progenitor's \
         time), judged from the numbers in that row.\n",
    );
    out
}

/// Today as `YYYY-MM-DD` (UTC), from the system clock.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

fn rustc_version() -> String {
    Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown rustc".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_ratios() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(3), ms(1), ms(2)]), ms(2));
        assert_eq!(
            median(&[ms(4), ms(1), ms(2), ms(3)]),
            Duration::from_micros(2500)
        );
        let stats = Stats::of(&[ms(5), ms(1), ms(3)]);
        assert_eq!((stats.min, stats.median, stats.max), (ms(1), ms(3), ms(5)));
        assert_eq!(
            paired_ratio(&[ms(1), ms(2), ms(4)], &[ms(10), ms(10), ms(10)]),
            5.0
        );
    }

    #[test]
    fn markdown_table() {
        let mut table = Table::new(&["what", "time"]);
        table.row(vec!["ours".into(), "1 s".into()]);
        assert_eq!(
            table.markdown(),
            "| what | time |\n| --- | ---: |\n| ours | 1 s |\n"
        );
    }
}
