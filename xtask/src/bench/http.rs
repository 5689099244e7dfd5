//! `cargo xtask bench --http [--quick]`: the HTTP side of the benchmarks, over loopback only.
//!
//! - **Client overhead**: `list_engine_versions` through the generated TaurusDB client and through
//!   a hand-written `reqwest` + `serde_json` call decoding into the same generated struct, against
//!   the same mock (`mock_server`, release), with 1 and 16 calls in flight. The example
//!   `generated/examples/bench_http.rs` makes the calls; rounds alternate the two.
//! - **Mock throughput**: `wrk` with 8 connections on that one GET against our mock, against
//!   Stoplight Prism serving our OpenAPI export of TaurusDB, and against a bare axum handler that
//!   returns the mock's bytes (the ceiling of this machine). Runs rotate between the servers.
//!
//! The tools are installed when missing: Prism (pinned) with `npm install --prefix
//! target/bench-tools`, wrk with `apt-get`. Every server started is a child process, killed with
//! the processes it started when its guard drops, on success, error or panic alike. The result is
//! printed as Markdown and written to `BENCHMARKS-http.md` (a quick run writes
//! `target/bench-tools/BENCHMARKS-http.quick.md`, so it never replaces the numbers of a full one).

use crate::server::{free_port, Server};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The newest Prism that runs on the machine's Node.js 20 (5.15 and later want Node 24).
const PRISM_VERSION: &str = "5.14.2";
/// `GET list_engine_versions`: small, with a documented JSON answer (123 bytes).
const PATH: &str = "/v3/0483b6b16e954cb88930a360d2c4e663/datastores/gaussdb-mysql";
/// Any token: the mocks accept every `X-Auth-Token`, and Prism wants one for the security scheme.
const TOKEN: &str = "bench-token";
/// The load: connections kept open by wrk, and its threads (one per core of this machine).
const CONNECTIONS: u32 = 8;
const WRK_THREADS: u32 = 2;
/// Calls in flight for the client-overhead measurement.
const CONCURRENCY: [usize; 2] = [1, 16];

/// How long and how often each measurement runs.
struct Plan {
    quick: bool,
    client_rounds: usize,
    client_round: Duration,
    load_rounds: usize,
    load_run: Duration,
}

impl Plan {
    fn new(quick: bool) -> Plan {
        if quick {
            Plan {
                quick,
                client_rounds: 1,
                client_round: Duration::from_secs(1),
                load_rounds: 1,
                load_run: Duration::from_secs(1),
            }
        } else {
            Plan {
                quick,
                // Short rounds, many: a pair of rounds run side by side sees the same load.
                client_rounds: 30,
                client_round: Duration::from_millis(500),
                load_rounds: 5,
                load_run: Duration::from_secs(5),
            }
        }
    }

    fn command(&self) -> &'static str {
        if self.quick {
            "cargo xtask bench --http --quick"
        } else {
            "cargo xtask bench --http"
        }
    }
}

pub fn run(quick: bool) -> Result<(), String> {
    let plan = Plan::new(quick);
    let root = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
    let tools = root.join("target").join("bench-tools");
    let logs = tools.join("logs");
    std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    let machine = Machine::read();
    let wrk = ensure_wrk()?;
    let prism = ensure_prism(&tools)?;
    let binaries = build()?;

    eprintln!("== client overhead: typed client vs hand-written reqwest + serde_json");
    let client = client_overhead(&binaries, &plan, &logs)?;
    eprintln!("== mock throughput: wrk against our mock, Prism and bare axum");
    let load = mock_throughput(&binaries, &prism, &wrk, &plan, &logs)?;

    let load_after = load_average();
    let report = report(&plan, &machine, &load_after, &client, &load);
    println!("{report}");
    let out = if quick {
        tools.join("BENCHMARKS-http.quick.md")
    } else {
        root.join("BENCHMARKS-http.md")
    };
    std::fs::write(&out, &report).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!("written to {}", out.display());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Tools and builds

/// `wrk` from PATH, else installed from Debian's packages.
fn ensure_wrk() -> Result<PathBuf, String> {
    if let Some(path) = on_path("wrk") {
        return Ok(path);
    }
    eprintln!("wrk is not installed: apt-get install -y wrk");
    let install = || {
        Command::new("apt-get")
            .args(["install", "-y", "-q", "wrk"])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !install() {
        // A fresh machine may have no package lists yet.
        let _ = Command::new("apt-get").args(["update", "-q"]).status();
        install();
    }
    on_path("wrk").ok_or_else(|| {
        "wrk is needed and could not be installed; install it (Debian: `apt-get install wrk`)"
            .to_string()
    })
}

fn on_path(name: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// Prism's executable, installed under `tools` at the pinned version unless it is there.
fn ensure_prism(tools: &Path) -> Result<PathBuf, String> {
    let executable = tools.join("node_modules/.bin/prism");
    let manifest = tools.join("node_modules/@stoplight/prism-cli/package.json");
    let installed = std::fs::read_to_string(&manifest)
        .is_ok_and(|text| text.contains(&format!("\"version\": \"{PRISM_VERSION}\"")));
    if installed && executable.exists() {
        return Ok(executable);
    }
    eprintln!(
        "installing @stoplight/prism-cli@{PRISM_VERSION} into {}",
        tools.display()
    );
    let status = Command::new("npm")
        .arg("install")
        .arg("--prefix")
        .arg(tools)
        .args([
            "--no-audit",
            "--no-fund",
            "--save-exact",
            "--loglevel=error",
        ])
        .arg(format!("@stoplight/prism-cli@{PRISM_VERSION}"))
        .status()
        .map_err(|e| format!("cannot run npm (Node.js and npm are needed for Prism): {e}"))?;
    if !status.success() || !executable.exists() {
        return Err(format!("npm install of Prism failed ({status})"));
    }
    Ok(executable)
}

struct Binaries {
    mock_server: PathBuf,
    bench_http: PathBuf,
}

/// The two examples in release, in one build of the generated crate.
fn build() -> Result<Binaries, String> {
    eprintln!("== cargo build --release (the generated crate takes minutes the first time)");
    let status = crate::cargo()
        .args([
            "build",
            "--release",
            "--package",
            "huaweicloud-db",
            "--features",
            crate::MOCK_FEATURES,
            "--example",
            "mock_server",
            "--example",
            "bench_http",
        ])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the release build failed ({status})"));
    }
    let examples = crate::target_dir().join("release").join("examples");
    Ok(Binaries {
        mock_server: examples.join("mock_server"),
        bench_http: examples.join("bench_http"),
    })
}

// ---------------------------------------------------------------------------------------------
// Servers

fn start_mock(binaries: &Binaries, logs: &Path) -> Result<Server, String> {
    let port = free_port()?;
    let mut command = Command::new(&binaries.mock_server);
    command.args(["--service", "taurusdb", "--port", &port.to_string()]);
    Server::start(
        "our mock (mock_server)",
        command,
        port,
        logs.join("mock.log"),
        Duration::from_secs(30),
    )
}

/// The bare axum server of `bench_http`, serving the mock's answer to `GET PATH`.
fn start_bare(binaries: &Binaries, logs: &Path) -> Result<Server, String> {
    let port = free_port()?;
    let mut command = Command::new(&binaries.bench_http);
    command.args(["bare", "--port", &port.to_string()]);
    Server::start(
        "bare axum",
        command,
        port,
        logs.join("bare.log"),
        Duration::from_secs(30),
    )
}

/// One `GET PATH` with a token, on a connection of its own: the status and the body.
fn get(port: u16) -> Result<(u16, Vec<u8>), String> {
    let fail = |e: std::io::Error| format!("GET 127.0.0.1:{port}{PATH}: {e}");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(fail)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(fail)?;
    write!(
        stream,
        "GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Auth-Token: {TOKEN}\r\nConnection: close\r\n\r\n"
    )
    .map_err(fail)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).map_err(fail)?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("GET 127.0.0.1:{port}{PATH}: no complete response"))?;
    let head = String::from_utf8_lossy(&response[..split]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("GET 127.0.0.1:{port}{PATH}: no status in `{head}`"))?;
    Ok((status, response[split + 4..].to_vec()))
}

// ---------------------------------------------------------------------------------------------
// Client overhead

/// Per-call time (wall time of a round / calls in it, in µs) of each round, for one server and
/// concurrency.
struct ClientRuns {
    server: &'static str,
    concurrency: usize,
    typed: Vec<f64>,
    hand: Vec<f64>,
    /// The client process's CPU time per call (µs), for the same rounds.
    typed_cpu: Vec<f64>,
    hand_cpu: Vec<f64>,
}

/// Against our mock (the comparison the target is about), then against the bare axum server,
/// where the server's share of each call is smaller and the client's shows more.
fn client_overhead(
    binaries: &Binaries,
    plan: &Plan,
    logs: &Path,
) -> Result<Vec<ClientRuns>, String> {
    let mut runs = Vec::new();
    for server in ["our mock", "bare axum"] {
        let started = if server == "our mock" {
            start_mock(binaries, logs)?
        } else {
            start_bare(binaries, logs)?
        };
        runs.extend(client_runs(binaries, plan, server, &started.url())?);
    }
    Ok(runs)
}

fn client_runs(
    binaries: &Binaries,
    plan: &Plan,
    server: &'static str,
    url: &str,
) -> Result<Vec<ClientRuns>, String> {
    let concurrency: Vec<String> = CONCURRENCY.iter().map(usize::to_string).collect();
    let output = Command::new(&binaries.bench_http)
        .args(["client", "--url", url])
        .args(["--rounds", &plan.client_rounds.to_string()])
        .args(["--round-ms", &plan.client_round.as_millis().to_string()])
        .args(["--concurrency", &concurrency.join(",")])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run bench_http: {e}"))?;
    if !output.status.success() {
        return Err(format!("bench_http client failed ({})", output.status));
    }
    let mut runs: Vec<ClientRuns> = CONCURRENCY
        .iter()
        .map(|&concurrency| ClientRuns {
            server,
            concurrency,
            typed: Vec::new(),
            hand: Vec::new(),
            typed_cpu: Vec::new(),
            hand_cpu: Vec::new(),
        })
        .collect();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let ["round", concurrency, variant, _index, calls, nanos, cpu] = fields[..] else {
            continue;
        };
        let parse = |text: &str| {
            text.parse::<f64>()
                .map_err(|_| format!("bench_http printed `{line}`"))
        };
        let (concurrency, calls, nanos, cpu) = (
            parse(concurrency)?,
            parse(calls)?,
            parse(nanos)?,
            parse(cpu)?,
        );
        let Some(runs) = runs
            .iter_mut()
            .find(|r| r.concurrency as f64 == concurrency)
        else {
            continue;
        };
        let micros_per_call = nanos / 1000.0 / calls.max(1.0);
        let cpu_per_call = cpu / 1000.0 / calls.max(1.0);
        match variant {
            "typed" => {
                runs.typed.push(micros_per_call);
                runs.typed_cpu.push(cpu_per_call);
            }
            _ => {
                runs.hand.push(micros_per_call);
                runs.hand_cpu.push(cpu_per_call);
            }
        }
        eprintln!(
            "  {server}, {concurrency} in flight, {variant:>5}: {micros_per_call:.1} µs/call, client CPU {cpu_per_call:.1} µs/call"
        );
    }
    if runs.iter().any(|r| r.typed.is_empty() || r.hand.is_empty()) {
        return Err("bench_http printed no rounds".into());
    }
    Ok(runs)
}

// ---------------------------------------------------------------------------------------------
// Mock throughput

/// One wrk run.
#[derive(Clone, Copy, Default)]
struct LoadRun {
    requests_per_second: f64,
    /// Non-2xx responses and socket errors: any makes the run suspect.
    bad: u64,
}

/// The runs against one server.
struct LoadTarget {
    label: String,
    runs: Vec<LoadRun>,
    /// Why the server could not be measured, if it could not.
    failure: Option<String>,
    /// What a `GET PATH` answered before the load (status, body length, same bytes as the mock).
    probe: String,
}

struct LoadResults {
    mock: LoadTarget,
    bare: LoadTarget,
    prism: LoadTarget,
    /// What Prism did with each document tried.
    prism_notes: Vec<String>,
    wrk_version: String,
}

fn mock_throughput(
    binaries: &Binaries,
    prism: &Path,
    wrk: &Path,
    plan: &Plan,
    logs: &Path,
) -> Result<LoadResults, String> {
    // Start all three before measuring: Prism takes a while to read a 1.5 MB document.
    let mock = start_mock(binaries, logs)?;
    let (status, reference) = get(mock.port)?;
    if status != 200 {
        return Err(format!("our mock answered {status} to GET {PATH}"));
    }
    let bare = start_bare(binaries, logs)?;
    let (prism_server, prism_label, prism_notes) = start_prism(prism, logs);

    let mut targets: Vec<(LoadTarget, Option<&Server>)> = vec![
        (
            target("our mock (`mock_server`, release)", &mock, &reference),
            Some(&mock),
        ),
        (
            target("bare axum handler, same bytes", &bare, &reference),
            Some(&bare),
        ),
    ];
    targets.push(match &prism_server {
        Some(server) => (target(&prism_label, server, &reference), Some(server)),
        None => (
            LoadTarget {
                label: prism_label.clone(),
                runs: Vec::new(),
                failure: Some("did not serve either document (see the notes)".into()),
                probe: String::new(),
            },
            None,
        ),
    });

    for round in 0..plan.load_rounds {
        // Rotate the order, so that no server always runs first (or right after Prism).
        for k in 0..targets.len() {
            let i = (k + round) % targets.len();
            let (target, server) = &mut targets[i];
            let Some(server) = server else { continue };
            if target.failure.is_some() {
                continue;
            }
            let run = run_wrk(wrk, server, plan.load_run)?;
            eprintln!(
                "  round {}: {:<40} {:>10.0} req/s{}",
                round + 1,
                target.label,
                run.requests_per_second,
                if run.bad > 0 {
                    format!(" ({} errors or non-2xx)", run.bad)
                } else {
                    String::new()
                }
            );
            target.runs.push(run);
        }
    }
    let wrk_version = wrk_version(wrk);
    let mut targets = targets.into_iter().map(|(target, _)| target);
    let (mock_target, bare_target, prism_target) =
        match (targets.next(), targets.next(), targets.next()) {
            (Some(a), Some(b), Some(c)) => (a, b, c),
            _ => return Err("internal: three load targets expected".into()),
        };
    Ok(LoadResults {
        mock: mock_target,
        bare: bare_target,
        prism: prism_target,
        prism_notes,
        wrk_version,
    })
}

/// A target, after checking what it answers to `GET PATH`.
fn target(label: &str, server: &Server, reference: &[u8]) -> LoadTarget {
    let (probe, failure) = match get(server.port) {
        Ok((200, body)) => {
            let same = if body == reference {
                "the mock's bytes"
            } else {
                "other bytes than the mock"
            };
            (format!("200, {} bytes, {same}", body.len()), None)
        }
        Ok((status, body)) => {
            let text = String::from_utf8_lossy(&body);
            let message = format!(
                "answered {status}: {}",
                text.chars().take(300).collect::<String>()
            );
            (message.clone(), Some(message))
        }
        Err(e) => (e.clone(), Some(e)),
    };
    LoadTarget {
        label: label.to_string(),
        runs: Vec::new(),
        failure,
        probe,
    }
}

/// Prism on our 3.1 export of TaurusDB, else on the 3.0 one; with notes on what happened.
fn start_prism(prism: &Path, logs: &Path) -> (Option<Server>, String, Vec<String>) {
    let mut notes = Vec::new();
    for (document, version) in [
        ("generated/openapi/taurusdb.json", "3.1"),
        ("generated/openapi/taurusdb.openapi-3.0.json", "3.0.3"),
    ] {
        let label = format!("Prism {PRISM_VERSION} on `{document}` (OpenAPI {version})");
        let started = free_port().and_then(|port| {
            let mut command = Command::new(prism);
            // Errors only: Prism's default logs a line per request, which would measure its
            // logging; this is its fastest setting.
            command
                .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
                .args(["--verboseLevel", "error", document]);
            let log = logs.join(format!("prism-{version}.log"));
            Server::start(&label, command, port, log, Duration::from_secs(180))
        });
        match started {
            Ok(server) => match get(server.port) {
                Ok((200, _)) => {
                    notes.push(format!(
                        "OpenAPI {version} (`{document}`): loaded in {:.1} s, answers 200 with the documented example.",
                        server.startup.as_secs_f64()
                    ));
                    return (Some(server), label, notes);
                }
                Ok((status, body)) => notes.push(format!(
                    "OpenAPI {version} (`{document}`): started in {:.1} s but answered {status}: {}",
                    server.startup.as_secs_f64(),
                    String::from_utf8_lossy(&body).chars().take(300).collect::<String>()
                )),
                Err(e) => notes.push(format!("OpenAPI {version} (`{document}`): {e}")),
            },
            Err(e) => notes.push(format!("OpenAPI {version} (`{document}`): {e}")),
        }
    }
    (None, format!("Prism {PRISM_VERSION}"), notes)
}

fn run_wrk(wrk: &Path, server: &Server, length: Duration) -> Result<LoadRun, String> {
    let output = Command::new(wrk)
        .arg(format!("-t{WRK_THREADS}"))
        .arg(format!("-c{CONNECTIONS}"))
        .arg(format!("-d{}s", length.as_secs().max(1)))
        .args(["-H", &format!("X-Auth-Token: {TOKEN}")])
        .arg(format!("{}{PATH}", server.url()))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "wrk against {} failed ({}): {text}{}",
            server.name,
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    parse_wrk(&text).ok_or_else(|| format!("cannot read wrk's output:\n{text}"))
}

/// `Requests/sec:`, `Non-2xx or 3xx responses:` and `Socket errors:` from wrk's report.
fn parse_wrk(text: &str) -> Option<LoadRun> {
    let mut run = LoadRun::default();
    let mut found = false;
    for line in text.lines().map(str::trim) {
        if let Some(rate) = line.strip_prefix("Requests/sec:") {
            run.requests_per_second = rate.trim().parse().ok()?;
            found = true;
        } else if let Some(count) = line.strip_prefix("Non-2xx or 3xx responses:") {
            run.bad += count.trim().parse::<u64>().unwrap_or(1);
        } else if let Some(errors) = line.strip_prefix("Socket errors:") {
            // `connect 0, read 0, write 0, timeout 0`
            run.bad += errors
                .split(',')
                .filter_map(|part| part.split_whitespace().nth(1))
                .filter_map(|n| n.parse::<u64>().ok())
                .sum::<u64>();
        }
    }
    found.then_some(run)
}

fn wrk_version(wrk: &Path) -> String {
    // `wrk -v` prints its version and usage, and exits non-zero.
    Command::new(wrk)
        .arg("-v")
        .output()
        .ok()
        .and_then(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned()
                + &String::from_utf8_lossy(&o.stderr);
            text.lines().next().map(|l| l.trim().to_string())
        })
        .unwrap_or_else(|| "wrk".into())
}

// ---------------------------------------------------------------------------------------------
// Statistics and the report

/// Median, minimum and maximum.
#[derive(Clone, Copy)]
struct Spread {
    median: f64,
    min: f64,
    max: f64,
}

fn spread(values: &[f64]) -> Option<Spread> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    Some(Spread {
        median,
        min: sorted[0],
        max: sorted[n - 1],
    })
}

/// `a[i] / b[i]` for the runs made side by side.
fn paired_ratios(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(a, b)| a / b).collect()
}

/// `median (min–max)`, each followed by `unit` (such as `×` or ` %`).
fn fmt_spread(s: Option<Spread>, unit: &str, digits: usize) -> String {
    match s {
        Some(s) if s.min == s.max => format!("{:.digits$}{unit}", s.median),
        Some(s) => format!(
            "{:.digits$}{unit} ({:.digits$}{unit} – {:.digits$}{unit})",
            s.median, s.min, s.max
        ),
        None => "–".into(),
    }
}

/// A ratio as a signed percentage over 1: 1.013 is `+1.3 %`.
fn fmt_overhead(s: Option<Spread>) -> String {
    let pct = |r: f64| format!("{:+.1} %", (r - 1.0) * 100.0);
    match s {
        Some(s) if s.min == s.max => pct(s.median),
        Some(s) => format!("{} ({} … {})", pct(s.median), pct(s.min), pct(s.max)),
        None => "–".into(),
    }
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "–",
    }
}

/// What the machine is and how busy it was.
struct Machine {
    cores: String,
    arch: String,
    date: String,
    load_before: String,
    rustc: String,
}

impl Machine {
    fn read() -> Machine {
        Machine {
            cores: command_line("nproc", &[]),
            arch: command_line("uname", &["-m"]),
            date: command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            load_before: load_average(),
            rustc: command_line("rustc", &["-V"]),
        }
    }
}

fn command_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "?".into())
}

/// The 1-, 5- and 15-minute load averages.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "?".into())
}

fn report(
    plan: &Plan,
    machine: &Machine,
    load_after: &str,
    client: &[ClientRuns],
    load: &LoadResults,
) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "# HTTP benchmarks: client overhead and mock throughput\n"
    );
    if plan.quick {
        let _ = writeln!(
            w,
            "**Quick run**: one short round of each measurement, to prove the suite works; the numbers mean little.\n"
        );
    }
    let _ = writeln!(w, "- date: {}", machine.date);
    let _ = writeln!(
        w,
        "- machine: {} cores (`nproc`), {} (`uname -m`); {}",
        machine.cores, machine.arch, machine.rustc
    );
    let _ = writeln!(w, "- command: `{}`", plan.command());
    let _ = writeln!(
        w,
        "- load average (1, 5, 15 min) before: {}, after: {load_after}",
        machine.load_before
    );
    let _ = writeln!(
        w,
        "- the machine was shared: other builds ran at the same time, and the load tool, the client and the servers share its cores, so the numbers are noisy; ratios of runs made side by side are the more reliable figures\n"
    );

    let _ = writeln!(w, "## Client overhead\n");
    let _ = writeln!(
        w,
        "`list_engine_versions` (TaurusDB, `GET {PATH}`, 123-byte JSON answer) over loopback against our mock (`mock_server`, release), and for reference against the bare axum server of the throughput table (a faster server, so the client's share of each call shows more; the target is about the mock): the generated client (default retries and timeout) versus a hand-written `reqwest` + `serde_json` call with the same headers, decoding into the same generated `ListEngineVersionsResponse`. {} round(s) of {:.1} s per variant, alternating (ABBA); per call, *wall time* is a round's elapsed time divided by the calls it completed, and *client CPU* the CPU time of the client process (all threads, `/proc/self/task/*/schedstat`) in the round divided by the same count: the client's own cost, which other work on the machine disturbs less. Median over rounds (min–max); the overhead is the median of the typed/hand-written ratios of rounds run side by side.\n",
        plan.client_rounds,
        plan.client_round.as_secs_f64()
    );
    let _ = writeln!(
        w,
        "| server | calls in flight | measure | typed client, µs/call | hand-written, µs/call | overhead | target | met |"
    );
    let _ = writeln!(w, "|---|---|---|---|---|---|---|---|");
    for runs in client {
        for (measure, typed, hand) in [
            ("wall time", &runs.typed, &runs.hand),
            ("client CPU", &runs.typed_cpu, &runs.hand_cpu),
        ] {
            let ratio = spread(&paired_ratios(typed, hand));
            // The target is about the time a caller waits; the CPU figure says where it goes.
            let (target, met) = if measure == "wall time" {
                ("≤ +2 %", verdict(ratio.map(|r| r.median <= 1.02)))
            } else {
                ("(information)", "–")
            };
            let _ = writeln!(
                w,
                "| {} | {} | {measure} | {} | {} | {} | {target} | {met} |",
                runs.server,
                runs.concurrency,
                fmt_spread(spread(typed), "", 1),
                fmt_spread(spread(hand), "", 1),
                fmt_overhead(ratio),
            );
        }
    }

    let _ = writeln!(w, "\n## Mock throughput\n");
    let _ = writeln!(
        w,
        "`{}` with {WRK_THREADS} threads and {CONNECTIONS} connections on `GET {PATH}` (with an `X-Auth-Token`), {} run(s) of {} s per server, the servers' order rotating each round. Median requests/s over runs (min–max).\n",
        load.wrk_version,
        plan.load_rounds,
        plan.load_run.as_secs()
    );
    let _ = writeln!(
        w,
        "| server | requests/s | answer checked before the load |"
    );
    let _ = writeln!(w, "|---|---|---|");
    for target in [&load.mock, &load.bare, &load.prism] {
        let rates: Vec<f64> = target.runs.iter().map(|r| r.requests_per_second).collect();
        let bad: u64 = target.runs.iter().map(|r| r.bad).sum();
        let mut rate = match &target.failure {
            Some(failure) => format!("not measured: {failure}"),
            None => fmt_spread(spread(&rates), "", 0),
        };
        if bad > 0 {
            let _ = write!(rate, " (**{bad} errors or non-2xx answers**)");
        }
        let _ = writeln!(w, "| {} | {rate} | {} |", target.label, target.probe);
    }
    let rates =
        |t: &LoadTarget| -> Vec<f64> { t.runs.iter().map(|r| r.requests_per_second).collect() };
    let mock_rate = spread(&rates(&load.mock));
    let over_prism = spread(&paired_ratios(&rates(&load.mock), &rates(&load.prism)));
    let of_bare = spread(&paired_ratios(&rates(&load.mock), &rates(&load.bare)));
    let _ = writeln!(
        w,
        "\n| figure | median (min–max) | target | met |\n|---|---|---|---|"
    );
    let _ = writeln!(
        w,
        "| our mock, requests/s | {} | ≥ 60,000 | {} |",
        fmt_spread(mock_rate, "", 0),
        verdict(mock_rate.map(|s| s.median >= 60_000.0))
    );
    let _ = writeln!(
        w,
        "| our mock / Prism (runs side by side) | {} | ≥ 25× | {} |",
        fmt_spread(over_prism, "×", 1),
        verdict(over_prism.map(|s| s.median >= 25.0))
    );
    let _ = writeln!(
        w,
        "| our mock / bare axum (runs side by side) | {} | ≥ 70 % | {} |",
        fmt_spread(
            of_bare.map(|s| Spread {
                median: s.median * 100.0,
                min: s.min * 100.0,
                max: s.max * 100.0,
            }),
            " %",
            0
        ),
        verdict(of_bare.map(|s| s.median >= 0.70))
    );
    let _ = writeln!(w, "\n### What Prism did with our documents\n");
    for note in &load.prism_notes {
        let _ = writeln!(w, "- {note}");
    }
    let _ = writeln!(
        w,
        "- Prism ran with `--verboseLevel error`: its default logs a line per request, which would measure its logging."
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_report_is_read() {
        let text = "Running 1s test @ http://127.0.0.1:1/x\n  2 threads and 8 connections\n  Socket errors: connect 0, read 2, write 0, timeout 1\n  Non-2xx or 3xx responses: 4\nRequests/sec:  61234.50\nTransfer/sec:      9.1MB\n";
        let run = parse_wrk(text).unwrap_or_default();
        assert_eq!(run.requests_per_second, 61234.5);
        assert_eq!(run.bad, 7);
        assert!(parse_wrk("nothing").is_none());
    }

    #[test]
    fn spread_is_median_min_max() {
        let s = spread(&[3.0, 1.0, 2.0, 10.0]).map(|s| (s.median, s.min, s.max));
        assert_eq!(s, Some((2.5, 1.0, 10.0)));
        assert!(spread(&[]).is_none());
        assert_eq!(
            fmt_overhead(Some(Spread {
                median: 1.013,
                min: 1.013,
                max: 1.013
            })),
            "+1.3 %"
        );
    }
}
