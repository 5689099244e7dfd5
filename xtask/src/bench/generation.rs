//! The generator against progenitor: how long generating takes (`generation`), and how long the
//! generated client takes to compile (`compile`).
//!
//! Ours is the xtask binary itself running one full pass (`xtask bench-pass`: load + validate,
//! emit, format, write) into a folder under `target/bench/`, so the repo is never touched.
//! Theirs is `cargo-progenitor`, pinned and installed under `target/bench-tools/`, generating a
//! crate from our OpenAPI 3.0 export of the same service.

use super::{
    interleaved, paired_ratio, remove_dir, run, rust_lines, seconds, shown, time_command, times,
    Candidate, Context, Section, Stats, Table,
};
use crate::cargo;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The cargo-progenitor release we compare with.
const PROGENITOR_VERSION: &str = "0.15.1";

/// progenitor's interface style; `builder` matches ours (required inputs as arguments, optional
/// ones as setters, then `send()`).
const PROGENITOR_INTERFACE: &str = "builder";

/// Rounds of each measurement in a full run.
const GENERATION_ROUNDS: usize = 10;
const COMPILE_ROUNDS: usize = 3;

/// The targets.
const FULL_PASS_TARGET: Duration = Duration::from_millis(300);
const GENERATION_RATIO_TARGET: f64 = 10.0;
const COMPILE_RATIO_TARGET: f64 = 2.0;
/// Our generation passes: the first run of a build (no format cache) and the runs after it
/// (the suffix of their names, and whether they read the cache).
const WARMTH: [(&str, bool); 2] = [("", false), (" warm", true)];

/// One full generator pass, as `cargo xtask codegen` does it for one spec, into `out`
/// (`src/`, `docs/`, `openapi/`), with the format cache file `cache` if any. What `xtask
/// bench-pass` runs.
pub fn pass(spec: &Path, out: &Path, cache: Option<&Path>) -> Result<(), String> {
    let target = codegen::emit::Target {
        src_dir: out.join("src"),
        docs_dir: out.join("docs"),
        openapi_dir: out.join("openapi"),
    };
    codegen::pass::run(spec, &target, false, cache, &mut Default::default())?;
    Ok(())
}

/// Load + generate + render in this process: the generator alone, without process start and
/// without writing files.
fn in_process(spec: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    let mut timings = codegen::pass::Timings::default();
    let api = codegen::pass::load(spec, &mut timings)?;
    let target = codegen::emit::Target {
        src_dir: "src".into(),
        docs_dir: "docs".into(),
        openapi_dir: "openapi".into(),
    };
    let cache = codegen::format_cache::FormatCache::default();
    std::hint::black_box(codegen::pass::render(&api, &target, &cache, &mut timings)?);
    Ok(started.elapsed())
}

/// The number of operations of each service in `spec/`.
fn operation_counts(context: &Context) -> Result<Vec<(String, usize)>, String> {
    let api = codegen::load(&context.root.join("spec")).map_err(|d| d.to_string())?;
    Ok(api
        .services
        .iter()
        .map(|s| (s.name.clone(), s.operations.len()))
        .collect())
}

fn count_of(counts: &[(String, usize)], service: &str) -> usize {
    counts
        .iter()
        .find(|(name, _)| name == service)
        .map_or(0, |(_, n)| *n)
}

/// A spec folder with only `service` in it (a copy of `spec/<service>/`), so that our pass
/// loads the same service progenitor gets.
fn single_service_spec(context: &Context, service: &str) -> Result<PathBuf, String> {
    let dir = context.work.join("spec").join(service);
    remove_dir(&dir)?;
    let from = context.root.join("spec").join(service);
    let to = dir.join(service);
    std::fs::create_dir_all(&to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(&from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_file() {
            let name = path.file_name().unwrap_or_default();
            std::fs::copy(&path, to.join(name))
                .map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(dir)
}

/// The pinned cargo-progenitor, installed under `target/bench-tools/` unless it is there.
fn progenitor(context: &Context) -> Result<PathBuf, String> {
    let bin = context.tools.join("bin/cargo-progenitor");
    // `cargo install` records what it installed under its root.
    let installed = bin.exists()
        && std::fs::read_to_string(context.tools.join(".crates.toml"))
            .is_ok_and(|t| t.contains(&format!("\"cargo-progenitor {PROGENITOR_VERSION} ")));
    if !installed {
        eprintln!("  installing cargo-progenitor {PROGENITOR_VERSION} (once)");
        run(cargo()
            .args(["install", "--locked", "--version", PROGENITOR_VERSION])
            .args(["cargo-progenitor", "--root"])
            .arg(&context.tools))?;
    }
    Ok(bin)
}

/// The crate name progenitor gets for `service`.
fn progenitor_crate(service: &str) -> String {
    format!("{service}-progenitor")
}

/// progenitor generating a crate named for `service` from the document `input` into `out`.
fn progenitor_command(bin: &Path, service: &str, input: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(bin);
    cmd.arg("progenitor")
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(out)
        .args(["--name", &progenitor_crate(service), "--version", "0.1.0"])
        .args(["--interface", PROGENITOR_INTERFACE]);
    cmd
}

/// Our OpenAPI 3.0 export of `service`, relative to the workspace root.
fn openapi_30(service: &str) -> String {
    format!("generated/openapi/{service}.openapi-3.0.json")
}

/// Runs progenitor on `input` into `out` (emptied first); `Err` is what it said.
fn try_progenitor(bin: &Path, service: &str, input: &Path, out: &Path) -> Result<(), String> {
    remove_dir(out)?;
    let mut cmd = progenitor_command(bin, service, input, out);
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", shown(&cmd)))?;
    if output.status.success() && out.join("src/lib.rs").exists() {
        return Ok(());
    }
    // progenitor prints its whole type space first; what went wrong is at the end.
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Err(format!("{} ({})", what_went_wrong(&said), output.status))
}

/// A panic as `panicked at <crate>/src/file.rs:line:col: message` (the source path shortened
/// to the crate, thread id and backtrace left out), or else the first error lines.
fn what_went_wrong(said: &str) -> String {
    let mut lines = said.lines();
    if let Some(at) = lines.find_map(|l| l.split_once("panicked at ").map(|(_, at)| at)) {
        // `/root/.cargo/registry/src/<index>/typify-impl-0.8.0/src/..` -> `typify-impl-0.8.0/src/..`
        let parts: Vec<&str> = at.trim_end_matches(':').split('/').collect();
        let location = match parts.iter().rposition(|p| *p == "src") {
            Some(i) if i > 0 => parts[i - 1..].join("/"),
            _ => at.trim_end_matches(':').to_string(),
        };
        let message = lines.next().unwrap_or_default().trim();
        return format!("panicked at {location}: {message}");
    }
    said.lines()
        .skip_while(|l| !l.starts_with("Error") && !l.starts_with("error"))
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}

/// The document progenitor generates `service` from: our export as it is or, where progenitor
/// rejects it, a copy under `target/bench/openapi/` with the fewest changes that let it through.
/// Each rejection and each change is pushed to `findings`. `None` if nothing helped.
fn progenitor_input(
    context: &Context,
    bin: &Path,
    service: &str,
    findings: &mut Vec<String>,
) -> Result<Option<PathBuf>, String> {
    let original = context.root.join(openapi_30(service));
    let out = context.work.join("progenitor").join(service);
    let Err(said) = try_progenitor(bin, service, &original, &out) else {
        findings.push(format!("`{}`: accepted as exported.", openapi_30(service)));
        return Ok(Some(original));
    };
    findings.push(format!("`{}`: **rejected**: `{said}`", openapi_30(service)));
    let text = std::fs::read_to_string(&original)
        .map_err(|e| format!("cannot read {}: {e}", original.display()))?;
    let mut document: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", original.display()))?;
    let patched = context
        .work
        .join("openapi")
        .join(format!("{service}.openapi-3.0.json"));
    let workarounds: [(&str, Workaround); 2] = [
        (
            "string enums whose values differ only in case or punctuation made plain strings",
            case_colliding_enums,
        ),
        (
            "bodiless 2xx responses dropped where another 2xx has a body",
            mixed_success_bodies,
        ),
    ];
    for (what, workaround) in workarounds {
        let changed = workaround(&mut document);
        if changed.is_empty() {
            continue;
        }
        write_json(&patched, &document)?;
        let result = try_progenitor(bin, service, &patched, &out);
        findings.push(format!(
            "  - workaround in a copy ({what}): {}; then {}",
            changed.join(", "),
            match &result {
                Ok(()) =>
                    "progenitor generates the crate (the numbers below use this copy).".into(),
                Err(said) => format!("still rejected: `{said}`"),
            }
        ));
        if result.is_ok() {
            return Ok(Some(patched));
        }
    }
    Ok(None)
}

/// Writes a JSON document, creating its folder.
fn write_json(path: &Path, document: &serde_json::Value) -> Result<(), String> {
    std::fs::create_dir_all(path.parent().unwrap_or(path))
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let text = serde_json::to_string_pretty(document).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The distinct `error[..]` lines of a failed build, counted, in short.
fn compile_errors(output: &str) -> String {
    let summary = output
        .lines()
        .find(|l| l.starts_with("error: could not compile"))
        .and_then(|l| l.split_once(" due to "))
        .map_or("errors", |(_, n)| n.trim_end_matches(';'));
    let mut distinct: Vec<&str> = output
        .lines()
        .filter_map(|l| l.strip_prefix("error["))
        .collect();
    distinct.sort();
    distinct.dedup();
    let shown: Vec<String> = distinct
        .iter()
        .take(8)
        .map(|l| l.replacen("]:", ":", 1))
        .collect();
    let more = if distinct.len() > shown.len() {
        "; ..."
    } else {
        ""
    };
    format!("{summary}: {}{more}", shown.join("; "))
}

/// progenitor gives `parallel_jobs` and `parallelJobs` of one object the same field name, and
/// the crate does not compile: keep the first of such properties.
fn colliding_properties(document: &mut serde_json::Value) -> Vec<String> {
    fn snake(name: &str) -> String {
        let mut out = String::new();
        let mut previous_lower = false;
        for c in name.chars() {
            if c.is_ascii_uppercase() && previous_lower {
                out.push('_');
            }
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push('_');
            }
        }
        out
    }
    fn walk(value: &mut serde_json::Value, path: &str, changed: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(properties) = map.get_mut("properties").and_then(|p| p.as_object_mut())
                {
                    let mut seen = Vec::new();
                    let mut dropped = Vec::new();
                    for name in properties.keys() {
                        let key = snake(name);
                        if seen.contains(&key) {
                            dropped.push(name.clone());
                        } else {
                            seen.push(key);
                        }
                    }
                    for name in dropped {
                        properties.remove(&name);
                        changed.push(format!("`{path}/properties/{name}`"));
                    }
                }
                for (key, child) in map.iter_mut() {
                    walk(child, &format!("{path}/{key}"), changed);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    walk(child, &format!("{path}/{i}"), changed);
                }
            }
            _ => {}
        }
    }
    let mut changed = Vec::new();
    walk(document, "", &mut changed);
    changed
}

/// A change to a copy of a document that progenitor rejects; returns what it changed.
type Workaround = fn(&mut serde_json::Value) -> Vec<String>;

/// typify (progenitor's type generator) panics on a string enum whose values make the same
/// Rust variant name (`Available`, `available`): drop such an enum's values, leaving a string.
fn case_colliding_enums(document: &mut serde_json::Value) -> Vec<String> {
    fn walk(value: &mut serde_json::Value, path: &str, changed: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                let collides = map
                    .get("enum")
                    .and_then(|e| e.as_array())
                    .is_some_and(|values| {
                        let mut keys: Vec<String> = values
                            .iter()
                            .filter_map(|v| v.as_str())
                            .map(|v| {
                                v.chars()
                                    .filter(char::is_ascii_alphanumeric)
                                    .collect::<String>()
                                    .to_ascii_lowercase()
                            })
                            .collect();
                        let count = keys.len();
                        keys.sort();
                        keys.dedup();
                        keys.len() < count
                    });
                if collides {
                    map.remove("enum");
                    changed.push(format!("`{path}`"));
                }
                for (key, child) in map.iter_mut() {
                    walk(child, &format!("{path}/{key}"), changed);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    walk(child, &format!("{path}/{i}"), changed);
                }
            }
            _ => {}
        }
    }
    let mut changed = Vec::new();
    walk(document, "", &mut changed);
    changed
}

/// progenitor asserts that an operation's success responses share one type: where a 2xx with a
/// body sits beside a 2xx without one (200 and 204), drop the bodiless ones.
fn mixed_success_bodies(document: &mut serde_json::Value) -> Vec<String> {
    let mut changed = Vec::new();
    let Some(paths) = document.get_mut("paths").and_then(|p| p.as_object_mut()) else {
        return changed;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            let Some(responses) = operation
                .get_mut("responses")
                .and_then(|r| r.as_object_mut())
            else {
                continue;
            };
            let success: Vec<(String, bool)> = responses
                .iter()
                .filter(|(code, _)| code.starts_with('2'))
                .map(|(code, response)| (code.clone(), response.get("content").is_some()))
                .collect();
            if success.iter().any(|(_, body)| *body) && success.iter().any(|(_, body)| !body) {
                for (code, _) in success.iter().filter(|(_, body)| !body) {
                    responses.remove(code);
                    changed.push(format!("`{} {path}` {code}", method.to_uppercase()));
                }
            }
        }
    }
    changed
}

/// Measurement 1: wall time of a full generation pass, ours against progenitor's.
pub fn generation(context: &Context) -> Result<Vec<Section>, String> {
    let exe = std::env::current_exe().map_err(|e| format!("no current executable: {e}"))?;
    let bin = progenitor(context)?;
    let counts = operation_counts(context)?;
    let services = context.services();
    let rounds = context.rounds(GENERATION_ROUNDS);

    // What progenitor makes of each document (an untimed first run, which also warms the file
    // cache for both sides).
    let mut findings = Vec::new();
    let mut inputs = Vec::new();
    for service in services {
        if let Some(input) = progenitor_input(context, &bin, service, &mut findings)? {
            inputs.push((*service, input));
        }
    }
    let notes = vec![format!(
        "What progenitor did with our documents:\n\n{}",
        findings
            .iter()
            .map(|f| if f.starts_with(' ') {
                f.clone()
            } else {
                format!("- {f}")
            })
            .collect::<Vec<_>>()
            .join("\n")
    )];
    let specs: Vec<PathBuf> = services
        .iter()
        .map(|s| single_service_spec(context, s))
        .collect::<Result<_, _>>()?;
    let whole_spec = context.root.join("spec");
    let out = context.work.join("generation");

    // A warm pass reads the format cache an untimed pass of the same spec wrote, and writes over
    // the files that pass left: what a run after an edit finds, less the few files the edit
    // changes. A first run starts from an emptied folder.
    let ours_pass = |spec: PathBuf, into: PathBuf, warm: bool| -> Result<Candidate<'_>, String> {
        let exe = exe.clone();
        let cache = into.with_extension("format-cache");
        if warm {
            remove_dir(&into)?;
        }
        let pass = move || {
            if !warm {
                remove_dir(&into)?;
            }
            let mut command = Command::new(&exe);
            command
                .arg("bench-pass")
                .arg("--spec")
                .arg(&spec)
                .arg("--out")
                .arg(&into);
            if warm {
                command.arg("--cache").arg(&cache);
            }
            time_command(&mut command)
        };
        if warm {
            pass()?;
        }
        Ok(Box::new(pass))
    };
    let mut candidates: Vec<(String, Candidate<'_>)> = Vec::new();
    for (warmth, warm) in WARMTH {
        if !context.quick {
            candidates.push((
                format!("ours spec/{warmth}"),
                ours_pass(
                    whole_spec.clone(),
                    out.join(format!("ours-all{warmth}")),
                    warm,
                )?,
            ));
        }
        for (service, spec) in services.iter().zip(&specs) {
            candidates.push((
                format!("ours {service}{warmth}"),
                ours_pass(
                    spec.clone(),
                    out.join(format!("ours-{service}{warmth}")),
                    warm,
                )?,
            ));
        }
    }
    if !context.quick {
        let spec = whole_spec.clone();
        candidates.push((
            "ours spec/ in-process".into(),
            Box::new(move || in_process(&spec)),
        ));
    }
    for (service, input) in &inputs {
        let into = out.join(format!("progenitor-{service}"));
        let mut cmd = progenitor_command(&bin, service, input, &into);
        candidates.push((
            format!("progenitor {service}"),
            Box::new(move || {
                remove_dir(&into)?;
                time_command(&mut cmd)
            }),
        ));
    }
    let results = interleaved("generation", rounds, &mut candidates)?;
    let names: Vec<String> = candidates.iter().map(|(n, _)| n.clone()).collect();
    drop(candidates);
    let times_of = |name: &str| -> Option<&Vec<Duration>> {
        names.iter().position(|n| n == name).map(|i| &results[i])
    };

    let mut table = Table::new(&[
        "what",
        "operations",
        "ours: median",
        "ours: spread",
        "ours: per operation",
        "progenitor: median",
        "progenitor: spread",
        "progenitor: per operation",
        "progenitor / ours",
        "target",
    ]);
    let per_op = |d: Duration, n: usize| seconds(d / n.max(1) as u32);
    let total_ops: usize = counts.iter().map(|(_, n)| n).sum();
    for (warmth, _) in WARMTH {
        let how = if warmth.is_empty() {
            "first run (no format cache)"
        } else {
            "a later run (format cache, files in place)"
        };
        let mut theirs_total: Vec<Duration> = vec![Duration::ZERO; rounds];
        let mut ours_total: Vec<Duration> = vec![Duration::ZERO; rounds];
        let mut all_accepted = true;
        for service in services {
            let n = count_of(&counts, service);
            let ours = times_of(&format!("ours {service}{warmth}"))
                .cloned()
                .unwrap_or_default();
            let o = Stats::of(&ours);
            for (total, t) in ours_total.iter_mut().zip(&ours) {
                *total += *t;
            }
            let mut row = vec![
                format!("{service}, one process, {how}"),
                n.to_string(),
                seconds(o.median),
                o.spread(),
                per_op(o.median, n),
            ];
            match times_of(&format!("progenitor {service}")) {
                Some(theirs) => {
                    let t = Stats::of(theirs);
                    for (total, time) in theirs_total.iter_mut().zip(theirs) {
                        *total += *time;
                    }
                    let ratio = paired_ratio(&ours, theirs);
                    row.extend([
                        seconds(t.median),
                        t.spread(),
                        per_op(t.median, n),
                        times(ratio),
                        verdict(ratio >= GENERATION_RATIO_TARGET, "≥ 10x per operation"),
                    ]);
                }
                None => {
                    all_accepted = false;
                    row.extend([
                        "rejected".into(),
                        "—".into(),
                        "—".into(),
                        "—".into(),
                        "—".into(),
                    ]);
                }
            }
            table.row(row);
        }
        if services.len() > 1 && all_accepted {
            let n: usize = services.iter().map(|s| count_of(&counts, s)).sum();
            let o = Stats::of(&ours_total);
            let t = Stats::of(&theirs_total);
            let ratio = paired_ratio(&ours_total, &theirs_total);
            table.row(vec![
                format!("both, sum of the above ({how})"),
                n.to_string(),
                seconds(o.median),
                o.spread(),
                per_op(o.median, n),
                seconds(t.median),
                t.spread(),
                per_op(t.median, n),
                times(ratio),
                verdict(ratio >= GENERATION_RATIO_TARGET, "≥ 10x per operation"),
            ]);
        }
        if let Some(ours) = times_of(&format!("ours spec/{warmth}")) {
            let o = Stats::of(ours);
            let mut row = vec![
                format!("spec/ (all services), one process, full pass, {how}"),
                total_ops.to_string(),
                seconds(o.median),
                o.spread(),
                per_op(o.median, total_ops),
            ];
            row.extend(["".into(), "".into(), "".into(), "".into()]);
            row.push(verdict(o.median < FULL_PASS_TARGET, "< 0.3 s"));
            table.row(row);
        }
    }
    if let Some(ours) = times_of("ours spec/ in-process") {
        let o = Stats::of(ours);
        let mut row = vec![
            "spec/ (all services), in-process: no process start, no writes, no format cache".into(),
            total_ops.to_string(),
            seconds(o.median),
            o.spread(),
            per_op(o.median, total_ops),
        ];
        row.extend(["".into(), "".into(), "".into(), "".into(), "".into()]);
        table.row(row);
    }

    let intro = vec![
        format!(
            "Wall time of one generation pass, {rounds} interleaved round(s). **Ours**: the xtask \
             binary (`xtask bench-pass`, the dev profile `cargo xtask` runs in) loads and validates \
             the YAML, emits, formats and writes every file `cargo xtask codegen` writes for it \
             (client, types, mock, tests, Markdown docs, both OpenAPI documents) into \
             `target/bench/generation/`. One service means a spec folder holding only that \
             service. **Progenitor**: `cargo-progenitor` {PROGENITOR_VERSION} (installed with \
             `cargo install --locked`, so a release build), `--interface {PROGENITOR_INTERFACE}`, \
             generating a crate from `generated/openapi/<service>.openapi-3.0.json`. Both start as \
             a fresh process and write into an emptied folder."
        ),
        "Ours runs twice. A first run formats every Rust file and writes every file into an \
         emptied folder. A run after the first has the format cache an earlier pass of the same \
         spec wrote (`target/codegen/*.format-cache` for `cargo xtask codegen`) and the files it \
         left: it still loads, validates and emits everything and compares every file with the \
         one on disk, but formats only the token streams it has not formatted before and writes \
         only what differs, which after an edit of the spec are the files the edit changes (here, \
         none)."
            .to_string(),
    ];
    Ok(vec![Section {
        title: "Generation".into(),
        intro,
        table,
        notes,
    }])
}

fn verdict(met: bool, target: &str) -> String {
    if met {
        format!("{target}: met")
    } else {
        format!("{target}: **not met**")
    }
}

/// A build of one crate under test, with its dependencies already built in its target folder.
struct Build {
    /// The command (run from the workspace root).
    command: Command,
    /// What removes only the crate under test from the target folder.
    clean: Command,
}

fn build_ours(context: &Context, service: &str, release: bool) -> Build {
    let target = context.work.join("target-ours");
    let mut command = cargo();
    command
        .args([
            "build",
            "--quiet",
            "-p",
            "huaweicloud-db",
            "--features",
            service,
        ])
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(&context.root);
    let mut clean = cargo();
    clean
        .args(["clean", "--quiet", "-p", "huaweicloud-db"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&context.root);
    if release {
        command.arg("--release");
        clean.arg("--release");
    }
    Build { command, clean }
}

fn build_theirs(context: &Context, service: &str, crate_dir: &Path, release: bool) -> Build {
    let target = context.work.join("target-progenitor");
    let manifest = crate_dir.join("Cargo.toml");
    let mut command = cargo();
    command
        .args(["build", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(&context.root);
    let mut clean = cargo();
    clean
        .args(["clean", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .args(["-p", &progenitor_crate(service)])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&context.root);
    if release {
        command.arg("--release");
        clean.arg("--release");
    }
    Build { command, clean }
}

/// progenitor's crate for `service`, which [`progenitor_input`] left in
/// `target/bench/progenitor/<service>/`, moved to `target/bench/compile/` and made a workspace
/// of its own (it lies inside ours).
fn progenitor_crate_dir(context: &Context, service: &str) -> Result<PathBuf, String> {
    let made = context.work.join("progenitor").join(service);
    let dir = context.work.join("compile").join(service);
    remove_dir(&dir)?;
    std::fs::create_dir_all(dir.parent().unwrap_or(&dir))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::rename(&made, &dir).map_err(|e| format!("cannot move {}: {e}", made.display()))?;
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    if !text.contains("[workspace]") {
        text.push_str("\n[workspace]\n");
    }
    std::fs::write(&manifest, text)
        .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
    Ok(dir)
}

/// Measurement 2: compile time of the generated client, ours per feature against progenitor's
/// crate for the same service, dependencies prebuilt, non-incremental.
pub fn compile(context: &Context) -> Result<Vec<Section>, String> {
    let bin = progenitor(context)?;
    let services = context.services();
    let rounds = context.rounds(COMPILE_ROUNDS);
    let profiles: &[bool] = if context.quick {
        &[false]
    } else {
        &[false, true]
    };
    let mut notes = Vec::new();

    let mut crates = Vec::new();
    for service in services {
        // The same document as for generation (its findings are reported there).
        let mut findings = Vec::new();
        let dir = match progenitor_input(context, &bin, service, &mut findings)? {
            Some(input) => {
                if !input.starts_with(context.root.join("generated")) {
                    notes.push(format!(
                        "progenitor's `{service}` crate comes from the patched copy of our \
                         document (see Generation)."
                    ));
                }
                // Kept for a workaround should the crate not compile.
                std::fs::copy(
                    &input,
                    context
                        .work
                        .join("progenitor")
                        .join(format!("{service}.input")),
                )
                .map_err(|e| format!("cannot copy {}: {e}", input.display()))?;
                Some(progenitor_crate_dir(context, service)?)
            }
            None => {
                notes.push(format!("progenitor generated no crate for `{service}`."));
                None
            }
        };
        crates.push((*service, dir));
    }

    // Dependencies once per profile (and a first build of each crate, untimed). A progenitor
    // crate that does not compile is a finding; one workaround is tried on the document.
    for &release in profiles {
        for (service, dir) in crates.iter_mut() {
            let service: &str = service;
            eprintln!(
                "  prebuilding dependencies: {service}, {}",
                profile_name(release)
            );
            run(&mut build_ours(context, service, release).command)?;
            let Some(crate_dir) = dir.clone() else {
                continue;
            };
            let Err(errors) = run(&mut build_theirs(context, service, &crate_dir, release).command)
            else {
                continue;
            };
            notes.push(format!(
                "progenitor's `{service}` crate does not compile: {}",
                compile_errors(&errors)
            ));
            *dir = None;
            let input = context
                .work
                .join("progenitor")
                .join(format!("{service}.input"));
            let Ok(text) = std::fs::read_to_string(&input) else {
                continue;
            };
            let mut document: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", input.display()))?;
            let changed = colliding_properties(&mut document);
            if changed.is_empty() {
                continue;
            }
            let patched = context
                .work
                .join("openapi")
                .join(format!("{service}.compiles.openapi-3.0.json"));
            write_json(&patched, &document)?;
            let made = context.work.join("progenitor").join(service);
            let built = try_progenitor(&bin, service, &patched, &made)
                .and_then(|()| progenitor_crate_dir(context, service))
                .and_then(|fixed| {
                    run(&mut build_theirs(context, service, &fixed, release).command)
                        .map(|_| fixed)
                        .map_err(|e| compile_errors(&e))
                });
            notes.push(format!(
                "  - workaround in a copy (properties whose Rust names collide: the later one \
                 dropped): {}; then {}",
                changed.join(", "),
                match &built {
                    Ok(_) => "it compiles (the numbers above use this copy).".to_string(),
                    Err(e) => format!("still fails: {e}"),
                }
            ));
            *dir = built.ok();
        }
    }

    let mut table = Table::new(&[
        "service",
        "profile",
        "ours: median",
        "ours: spread",
        "progenitor: median",
        "progenitor: spread",
        "progenitor / ours",
        "target",
    ]);
    for &release in profiles {
        let mut candidates: Vec<(String, Candidate<'_>)> = Vec::new();
        for (service, dir) in &crates {
            let mut ours = build_ours(context, service, release);
            candidates.push((
                format!("ours {service}"),
                Box::new(move || {
                    run(&mut ours.clean)?;
                    time_command(&mut ours.command)
                }),
            ));
            if let Some(dir) = dir {
                let mut theirs = build_theirs(context, service, dir, release);
                candidates.push((
                    format!("progenitor {service}"),
                    Box::new(move || {
                        run(&mut theirs.clean)?;
                        time_command(&mut theirs.command)
                    }),
                ));
            }
        }
        let label = format!("compile {}", profile_name(release));
        let results = interleaved(&label, rounds, &mut candidates)?;
        let names: Vec<String> = candidates.iter().map(|(n, _)| n.clone()).collect();
        drop(candidates);
        let times_of = |name: &str| names.iter().position(|n| n == name).map(|i| &results[i]);
        for (service, _) in &crates {
            let ours = times_of(&format!("ours {service}"))
                .cloned()
                .unwrap_or_default();
            let o = Stats::of(&ours);
            let mut row = vec![
                service.to_string(),
                profile_name(release).into(),
                seconds(o.median),
                o.spread(),
            ];
            match times_of(&format!("progenitor {service}")) {
                Some(theirs) => {
                    let t = Stats::of(theirs);
                    let ratio = paired_ratio(&ours, theirs);
                    row.extend([
                        seconds(t.median),
                        t.spread(),
                        times(ratio),
                        verdict(ratio >= COMPILE_RATIO_TARGET, "≥ 2x"),
                    ]);
                }
                None => row.extend(["—".into(), "—".into(), "—".into(), "—".into()]),
            }
            table.row(row);
        }
    }

    let mut lines = Table::new(&[
        "service",
        "ours: all (`generated/src/<service>/**/*.rs`)",
        "ours: client only (no mock, no tests)",
        "ours: hand-written runtime (`runtime/src/` but `mock/`, a prebuilt dependency)",
        "progenitor (`src/**/*.rs`)",
    ]);
    let runtime = rust_lines(&context.root.join("runtime/src"), &|p| {
        !p.starts_with("mock")
    });
    for (service, dir) in &crates {
        let ours_dir = context.root.join("generated/src").join(service);
        let all = rust_lines(&ours_dir, &|_| true);
        let client = rust_lines(&ours_dir, &|p| {
            !(p.starts_with("mock") || p.starts_with("mock_tests") || p == Path::new("examples.rs"))
        });
        let theirs = dir.as_ref().map_or("—".into(), |d| {
            rust_lines(&d.join("src"), &|_| true).to_string()
        });
        lines.row(vec![
            service.to_string(),
            all.to_string(),
            client.to_string(),
            runtime.to_string(),
            theirs,
        ]);
    }

    let intro = vec![format!(
        "Wall time of `cargo build` of the crate under test alone, {rounds} interleaved round(s) \
         per profile: its dependencies were built first in the same target folder \
         (`target/bench/target-ours`, `target/bench/target-progenitor`), and before each run \
         `cargo clean -p <crate>` removes only the crate under test. `CARGO_INCREMENTAL=0`. \
         **Ours**: `huaweicloud-db` with one service feature (client only, no `mock`), its \
         hand-written runtime `huaweicloud-db-runtime` being a prebuilt dependency. \
         **Progenitor**: the crate cargo-progenitor {PROGENITOR_VERSION} generated for the \
         service (`--interface {PROGENITOR_INTERFACE}`), its runtime `progenitor-client` being a \
         prebuilt dependency."
    )];
    notes.insert(
        0,
        format!(
            "Generated lines:\n\n{}\nOurs counts the committed files; the mock and the test \
             modules are behind `mock` and `cfg(test)`, so the client-only build compiles the \
             second column.",
            lines.markdown()
        ),
    );
    Ok(vec![Section {
        title: "Compile time of the generated client".into(),
        intro,
        table,
        notes,
    }])
}

fn profile_name(release: bool) -> &'static str {
    if release {
        "release"
    } else {
        "debug"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_short() {
        let said = "   1  struct A\n\nthread 'main' (28940) panicked at /root/.cargo/registry/src/idx-1949/typify-impl-0.8.0/src/type_entry.rs:287:13:\nFailed to make unique variant names for [A,a]\nstack backtrace:\n";
        assert_eq!(
            what_went_wrong(said),
            "panicked at typify-impl-0.8.0/src/type_entry.rs:287:13: Failed to make unique variant names for [A,a]"
        );
    }

    #[test]
    fn compile_errors_in_short() {
        let output = "error[E0124]: field `a` is already declared\n --> src/lib.rs:1:1\nerror[E0124]: field `a` is already declared\nerror[E0062]: field `a` specified more than once\nerror: could not compile `x` (lib) due to 3 previous errors\n";
        assert_eq!(
            compile_errors(output),
            "3 previous errors: E0062: field `a` specified more than once; E0124: field `a` is already declared"
        );
    }

    #[test]
    fn workarounds_change_only_what_collides() {
        let mut document = serde_json::json!({
            "components": {"schemas": {
                "S": {"type": "string", "enum": ["Available", "available"]},
                "T": {"type": "string", "enum": ["on", "off"]},
                "C": {"properties": {"parallel_jobs": {}, "parallelJobs": {}, "other": {}}}
            }},
            "paths": {"/x": {"get": {"responses": {"200": {"content": {}}, "204": {}}}}}
        });
        assert_eq!(
            case_colliding_enums(&mut document),
            ["`/components/schemas/S`"]
        );
        assert_eq!(
            colliding_properties(&mut document),
            ["`/components/schemas/C/properties/parallelJobs`"]
        );
        assert_eq!(mixed_success_bodies(&mut document), ["`GET /x` 204"]);
        assert!(document["components"]["schemas"]["T"]["enum"].is_array());
    }
}
