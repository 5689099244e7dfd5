//! `cargo xtask conformance` (issue #19): a third-party tool checks each service's mock against
//! the service's OpenAPI export.
//!
//! The tool is schemathesis, pinned ([`SCHEMATHESIS_VERSION`]) and installed with pip into a
//! virtualenv under `target/conformance-venv` when missing. The mock is the `mock_server` example
//! that `cargo xtask mock` runs (built once, with the same features), started as a child process
//! on a free loopback port and killed when its service is done. Schemathesis reads
//! `generated/openapi/<service>.json` (OpenAPI 3.1) and sends its requests to that port only,
//! with a fixed seed, a bounded number of test cases per operation and a token header. Every
//! check runs except those in [`EXCLUDED_CHECKS`], which test what the mock does not claim; any
//! failure or error the tool reports fails the command.

use crate::server::{free_port, Server};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The schemathesis release the results are measured with.
const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// Test cases per operation in the fuzzing phase: small, so that the 441 operations take minutes.
pub const MAX_EXAMPLES: u32 = 5;
/// The default seed: a run is reproducible.
pub const SEED: u64 = 19;
/// The services, each with its mock and its export.
const SERVICES: [&str; 2] = ["taurusdb", "dws"];
/// Any token: the mocks accept every `X-Auth-Token`.
const TOKEN: &str = "conformance-token";
/// The phases run; the one left out is [`SKIPPED_PHASE`].
const PHASES: &str = "examples,coverage,fuzzing";
/// The phase not run, and why.
const SKIPPED_PHASE: (&str, &str) = (
    "stateful",
    "it chains operations to follow a resource from state to state, and the mock keeps no state \
     (every answer is the documented one)",
);

/// The checks not run, each with the reason: what they test is not something the mock claims.
const EXCLUDED_CHECKS: [(&str, &str); 3] = [
    (
        "ignored_auth",
        "the mock accepts any X-Auth-Token (only AK/SK signatures are verified), so a wrong token \
         succeeding is by design",
    ),
    (
        "use_after_free",
        "the mock keeps no state: a deleted resource still answers with its documented example",
    ),
    (
        "ensure_resource_availability",
        "the mock keeps no state: a created resource is not found by the next request",
    ),
];

/// The command line of `cargo xtask conformance`.
pub struct Options {
    /// Test cases per operation.
    pub max_examples: u32,
    /// The seed.
    pub seed: u64,
    /// Only this service.
    pub service: Option<String>,
}

/// What one service's run found, from schemathesis's JSON report.
struct Outcome {
    service: &'static str,
    operations: u64,
    test_cases: u64,
    /// Per kind of failure (`ST103 Undocumented status code`): how many, and on which operations.
    failures: Vec<(String, u64, Vec<String>)>,
    /// Errors of the tool itself (a crash while generating, a request that could not be sent).
    errors: Vec<(String, u64)>,
    elapsed: Duration,
    log: PathBuf,
}

impl Outcome {
    fn passed(&self) -> bool {
        self.failures.is_empty() && self.errors.is_empty()
    }

    fn headline(&self) -> String {
        format!(
            "{}: {} operations, {} test cases, {} failures, {} errors, in {:.0} s",
            self.service,
            self.operations,
            self.test_cases,
            self.failures.iter().map(|f| f.1).sum::<u64>(),
            self.errors.iter().map(|e| e.1).sum::<u64>(),
            self.elapsed.as_secs_f64()
        )
    }
}

/// Runs the tool against each service's mock and fails if it reports anything.
pub fn run(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let services: Vec<&'static str> = match &options.service {
        None => SERVICES.to_vec(),
        Some(name) => vec![SERVICES
            .into_iter()
            .find(|s| s == name)
            .ok_or_else(|| format!("--service must be taurusdb or dws, not `{name}`"))?],
    };
    let root = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    let work = root.join("target/conformance");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let schemathesis = install(&root.join("target/conformance-venv"))?;
    let mock_server = build_mock()?;
    println!(
        "schemathesis {SCHEMATHESIS_VERSION}: phases {PHASES}, --max-examples {}, --seed {}, \
         every check but:",
        options.max_examples, options.seed
    );
    for (check, reason) in EXCLUDED_CHECKS {
        println!("  {check}: {reason}");
    }
    println!("and no {} phase: {}", SKIPPED_PHASE.0, SKIPPED_PHASE.1);
    let mut outcomes = Vec::new();
    for service in services {
        outcomes.push(check_service(
            service,
            options,
            &root,
            &work,
            &schemathesis,
            &mock_server,
        )?);
    }
    println!("\n== conformance summary");
    for outcome in &outcomes {
        print_outcome(outcome);
    }
    let operations: u64 = outcomes.iter().map(|o| o.operations).sum();
    let test_cases: u64 = outcomes.iter().map(|o| o.test_cases).sum();
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.passed())
        .map(|o| o.service)
        .collect();
    println!(
        "{operations} operations, {test_cases} test cases, in {:.0} s in all",
        started.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "conformance failed for {}: the details and a curl line per failure are in the logs \
             named above",
            failed.join(", ")
        ))
    }
}

/// The virtualenv's `schemathesis`, installed first unless the pinned version is there.
fn install(venv: &Path) -> Result<PathBuf, String> {
    let schemathesis = venv.join("bin/schemathesis");
    let installed = Command::new(&schemathesis)
        .arg("--version")
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim_end()
                .ends_with(SCHEMATHESIS_VERSION)
        });
    if installed {
        return Ok(schemathesis);
    }
    eprintln!(
        "== installing schemathesis {SCHEMATHESIS_VERSION} into {}",
        venv.display()
    );
    if !venv.join("bin/pip").exists() {
        run_quietly(
            Command::new("python3").arg("-m").arg("venv").arg(venv),
            "python3 -m venv",
        )?;
    }
    run_quietly(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("schemathesis=={SCHEMATHESIS_VERSION}")),
        "pip install schemathesis",
    )?;
    Ok(schemathesis)
}

fn run_quietly(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot run {what} (Python 3 with venv and pip is needed): {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// Builds the mock server example as `cargo xtask mock` does, and returns its path.
fn build_mock() -> Result<PathBuf, String> {
    eprintln!(
        "== cargo build --example mock_server (the generated crate takes minutes the first time)"
    );
    let output = crate::cargo()
        .args([
            "build",
            "--quiet",
            "--package",
            "huaweicloud-db",
            "--features",
            crate::MOCK_FEATURES,
            "--example",
            "mock_server",
            "--message-format",
            "json-render-diagnostics",
        ])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("building the mock failed ({})", output.status));
    }
    // Cargo names the executable it built, wherever the target directory is.
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|message| message["executable"].as_str().map(PathBuf::from))
        .next_back()
        .ok_or_else(|| "cargo built no mock_server executable".to_string())
}

fn check_service(
    service: &'static str,
    options: &Options,
    root: &Path,
    work: &Path,
    schemathesis: &Path,
    mock_server: &Path,
) -> Result<Outcome, String> {
    println!("\n== {service}");
    let started = Instant::now();
    let port = free_port()?;
    let mut command = Command::new(mock_server);
    command.args(["--service", service, "--port", &port.to_string()]);
    let server = Server::start(
        &format!("the {service} mock"),
        command,
        port,
        work.join(format!("{service}-mock.log")),
        Duration::from_secs(60),
    )?;
    let report = work.join(format!("{service}-report.json"));
    let log = work.join(format!("{service}.log"));
    let _ = std::fs::remove_file(&report);
    let output = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let errors = output
        .try_clone()
        .map_err(|e| format!("{}: {e}", log.display()))?;
    let excluded: Vec<&str> = EXCLUDED_CHECKS.iter().map(|(check, _)| *check).collect();
    let status = Command::new(schemathesis)
        .arg("run")
        .arg(root.join(format!("generated/openapi/{service}.json")))
        .args(["--url", &server.url()])
        .args(["--checks", "all", "--exclude-checks", &excluded.join(",")])
        .args(["--phases", PHASES])
        .args(["--max-examples", &options.max_examples.to_string()])
        .args(["--seed", &options.seed.to_string()])
        .args(["--header", &format!("X-Auth-Token: {TOKEN}")])
        // One worker: the runs are reproducible, and the tool's generator is not thread-safe
        // (two workers made hypothesis fail once while describing a strategy).
        .args(["--workers", "1"])
        // Nothing is remembered between runs, so a run depends on the seed alone.
        .args(["--generation-database", "none"])
        .args(["--report", "json", "--report-json-path"])
        .arg(&report)
        .arg("--no-color")
        .current_dir(work)
        .stdin(Stdio::null())
        .stdout(output)
        .stderr(errors)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", schemathesis.display()))?;
    drop(server);
    let text = std::fs::read_to_string(&report).map_err(|e| {
        format!(
            "schemathesis ({status}) wrote no report {}: {e}; see {}",
            report.display(),
            log.display()
        )
    })?;
    let report: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", report.display()))?;
    let outcome = outcome(service, &report, started.elapsed(), log);
    println!("{}", outcome.headline());
    Ok(outcome)
}

fn outcome(service: &'static str, report: &Value, elapsed: Duration, log: PathBuf) -> Outcome {
    let count = |value: &Value| value.as_u64().unwrap_or_default();
    let list = |value: &Value| value.as_array().cloned().unwrap_or_default();
    Outcome {
        service,
        operations: count(&report["operations"]["tested"]),
        test_cases: count(&report["test_cases"]["generated"]),
        failures: list(&report["failures"])
            .iter()
            .map(|f| {
                let name = format!(
                    "{} {}",
                    f["code"].as_str().unwrap_or("?"),
                    f["title"].as_str().unwrap_or("?")
                );
                let operations = list(&f["operations"])
                    .iter()
                    .filter_map(|o| o.as_str().map(str::to_string))
                    .collect();
                (name, count(&f["count"]), operations)
            })
            .collect(),
        errors: list(&report["errors"])
            .iter()
            .map(|e| {
                (
                    e["title"].as_str().unwrap_or("?").to_string(),
                    count(&e["count"]),
                )
            })
            .collect(),
        elapsed,
        log,
    }
}

fn print_outcome(outcome: &Outcome) {
    println!("{}", outcome.headline());
    for (name, count, operations) in &outcome.failures {
        println!("  {name}: {count}");
        for operation in operations {
            println!("    {operation}");
        }
    }
    for (title, count) in &outcome.errors {
        println!("  error: {title}: {count}");
    }
    if !outcome.passed() {
        println!("  (details: {})", outcome.log.display());
    }
}
