//! Project chores: `cargo xtask codegen [--check]`, `cargo xtask validate`,
//! `cargo xtask list-operations`, `cargo xtask import`, `cargo xtask drift`,
//! `cargo xtask migrate-shared-parameters`, `cargo xtask mock [--stateful]`,
//! `cargo xtask bench [--http] [--quick]`, `cargo xtask conformance`.

mod bench;
mod conformance;
mod import;
mod regenerate;
mod server;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The generator makes and drops token, syntax-tree and JSON nodes by the million: with glibc's
/// allocator, malloc and free were a third of a `codegen` run's instructions; mimalloc does the
/// same work in far fewer.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (15 in mimalloc 2.1 and 3, which the bindings predate).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory instead of handing it back to the system 10 ms later. A pass frees and
/// allocates token streams all the time; with purging, the kernel zeroed the same pages again and
/// again (a third of a cached `codegen` run's time was `clear_page`). Commands run for seconds,
/// so holding their peak (about 120 MB) until they exit costs nothing.
fn keep_freed_memory() {
    // SAFETY: sets one of mimalloc's documented options to a documented value (-1: never purge);
    // mimalloc reads its options with atomics, so this is safe at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

#[derive(Parser)]
#[command(
    name = "xtask",
    about = "Generator and chores for the Huawei Cloud DB client"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate everything from spec/ (and the test fixtures).
    Codegen {
        /// Write nothing; fail naming each file that is stale.
        #[arg(long)]
        check: bool,
        /// Print how long each phase took: load, validate, emit, format, write.
        #[arg(long)]
        timings: bool,
        /// Format every file anew: neither read nor write the format cache in target/codegen/
        /// (how long a first run takes).
        #[arg(long)]
        no_cache: bool,
    },
    /// Check spec/ and report every problem as file:line: message.
    Validate {
        /// The spec folder to check.
        #[arg(long, default_value = "spec")]
        spec: String,
    },
    /// Print every operation as TSV: service, section, operation_id, method, path, deprecated.
    ListOperations,
    /// Draft spec operations from a reference document into a group file, for review.
    Import {
        /// The document (a reference as text, or a single web page).
        #[arg(long)]
        doc: PathBuf,
        /// taurusdb or dws.
        #[arg(long)]
        service: String,
        /// A section to import (repeatable).
        #[arg(long = "section")]
        sections: Vec<String>,
        /// Import every section under this chapter (repeatable), e.g. 4.4.
        #[arg(long = "chapter")]
        chapters: Vec<String>,
        /// The group file to write into (created, or appended to without touching what is there).
        #[arg(long)]
        group: Option<String>,
        /// The group's title, for a new file (default: the chapter's title).
        #[arg(long)]
        title: Option<String>,
        /// The spec folder.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
    },
    /// Compare the spec with a reference document; exit non-zero on unexplained drift.
    Drift {
        /// The document (a reference as text, or a single web page).
        #[arg(long)]
        doc: PathBuf,
        /// taurusdb or dws (default: the service named in the document's file name).
        #[arg(long)]
        service: Option<String>,
        /// Only these sections (repeatable).
        #[arg(long = "section")]
        sections: Vec<String>,
        /// Only sections under this chapter (repeatable).
        #[arg(long = "chapter")]
        chapters: Vec<String>,
        /// Also list the explained differences.
        #[arg(long)]
        explained: bool,
        /// The spec folder.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
    },
    /// Rewrite the group files to use their service's `shared_parameters` (line by line: comments,
    /// order and style stay): written-out copies become references or, for implied path
    /// parameters, go.
    MigrateSharedParameters {
        /// The spec folder.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
    },
    /// Serve a service's mock on 127.0.0.1 until stopped.
    Mock {
        /// taurusdb or dws.
        #[arg(long)]
        service: String,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Access key whose signatures the mock accepts.
        #[arg(long, default_value = "AccessKey")]
        ak: String,
        /// Its secret key.
        #[arg(long, default_value = "SecretKey")]
        sk: String,
        /// Remember the resources of the service's `fake:` hints (the stateful fake).
        #[arg(long)]
        stateful: bool,
    },
    /// Benchmarks (issue #17): generation and compile time against progenitor (BENCHMARKS.md), then
    /// client overhead and mock throughput (BENCHMARKS-http.md).
    Bench {
        /// Only client overhead and mock throughput over loopback (installs wrk and Prism if
        /// needed; writes BENCHMARKS-http.md); the same as `--only http`.
        #[arg(long)]
        http: bool,
        /// Each measurement once, one service, debug only: proves the harness works
        /// (writes target/bench/BENCHMARKS.quick.md).
        #[arg(long)]
        quick: bool,
        /// Rounds per measurement instead of each one's default.
        #[arg(long)]
        runs: Option<usize>,
        /// Only this measurement (repeatable): generation, compile, http. Default: all.
        #[arg(long)]
        only: Vec<String>,
        /// Write the report here instead (default: BENCHMARKS.md).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run the third-party conformance tool schemathesis (pinned, installed in a virtualenv under
    /// target/) against each service's mock from its OpenAPI export (issue #19).
    Conformance {
        /// Test cases per operation (schemathesis `--max-examples`).
        #[arg(long, default_value_t = conformance::MAX_EXAMPLES)]
        max_examples: u32,
        /// The seed, for a reproducible run.
        #[arg(long, default_value_t = conformance::SEED)]
        seed: u64,
        /// Only this service (taurusdb or dws); default both.
        #[arg(long)]
        service: Option<String>,
    },
    /// One generator pass of a spec folder into a scratch folder: what `bench` times.
    #[command(hide = true)]
    BenchPass {
        #[arg(long)]
        spec: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// The format cache to read and write; none by default.
        #[arg(long)]
        cache: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    keep_freed_memory();
    let mut cli = Cli::parse();
    // A document path is the caller's; spec folders are the workspace's, as for `validate`.
    if let Ok(cwd) = std::env::current_dir() {
        match &mut cli.command {
            Command::Import { doc, .. } | Command::Drift { doc, .. } => *doc = cwd.join(&*doc),
            Command::Bench { out: Some(out), .. } => *out = cwd.join(&*out),
            _ => {}
        }
    }
    let root = workspace_root();
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("error: cannot enter {}: {e}", root.display());
        return ExitCode::FAILURE;
    }
    let result = match cli.command {
        Command::Codegen {
            check,
            timings,
            no_cache,
        } => regenerate::codegen(check, timings, !no_cache),
        Command::Validate { spec } => validate(&spec),
        Command::ListOperations => list_operations(),
        Command::Import {
            doc,
            service,
            sections,
            chapters,
            group,
            title,
            spec,
        } => import::run(&import::Args {
            doc,
            service,
            sections,
            chapters,
            group,
            title,
            spec,
        }),
        Command::Drift {
            doc,
            service,
            sections,
            chapters,
            explained,
            spec,
        } => import::drift(&doc, service, &sections, &chapters, explained, &spec),
        Command::MigrateSharedParameters { spec } => {
            codegen::migrate::migrate_dir(&spec).map(|report| println!("{report}"))
        }
        Command::Mock {
            service,
            port,
            ak,
            sk,
            stateful,
        } => mock(&service, port, &ak, &sk, stateful),
        Command::Bench {
            http,
            quick,
            runs,
            only,
            out,
        } => bench::bench(bench::Options {
            http,
            quick,
            runs,
            only,
            out,
        }),
        Command::Conformance {
            max_examples,
            seed,
            service,
        } => conformance::run(&conformance::Options {
            max_examples,
            seed,
            service,
        }),
        Command::BenchPass { spec, out, cache } => bench::pass(&spec, &out, cache.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn load(dir: &str) -> Result<codegen::model::Api, String> {
    codegen::load(Path::new(dir)).map_err(|d| d.to_string())
}

fn validate(dir: &str) -> Result<(), String> {
    let api = load(dir)?;
    let operations: usize = api.services.iter().map(|s| s.operations.len()).sum();
    let types: usize = api.services.iter().map(|s| s.types.len()).sum();
    println!(
        "spec is valid: {} services, {operations} operations, {types} types",
        api.services.len()
    );
    Ok(())
}

/// The features the mock server example is built with, by `mock` and `conformance` alike, so that
/// one build serves both.
const MOCK_FEATURES: &str = "mock,taurusdb,dws";

/// Runs the mock server example of the generated crate. It is a separate build so that xtask
/// itself never depends on generated code (which `codegen` must be able to rewrite).
fn mock(service: &str, port: u16, ak: &str, sk: &str, stateful: bool) -> Result<(), String> {
    let status = cargo()
        .args([
            "run",
            "--quiet",
            "--package",
            "huaweicloud-db",
            "--features",
            MOCK_FEATURES,
        ])
        .args(["--example", "mock_server", "--"])
        .args([
            "--service",
            service,
            "--port",
            &port.to_string(),
            "--ak",
            ak,
            "--sk",
            sk,
        ])
        .args(stateful.then_some("--stateful"))
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the mock server exited with {status}"))
    }
}

/// The `cargo` that runs xtask (the same toolchain), for every cargo command xtask runs.
///
/// `cargo xtask` is `cargo run`, which sets CARGO_MANIFEST_DIR and friends for xtask. ring's build
/// script watches CARGO_MANIFEST_DIR, so passing them on would make a build started here and the
/// same build from a shell rebuild each other's dependencies (minutes for the generated crate).
/// Cargo's target folder: `CARGO_TARGET_DIR` if set, else the workspace's `target/`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace_root().join("target"), PathBuf::from)
}

fn cargo() -> std::process::Command {
    let mut command =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || [
                "CARGO_MANIFEST_DIR",
                "CARGO_MANIFEST_PATH",
                "CARGO_CRATE_NAME",
                "CARGO_BIN_NAME",
                "CARGO_PRIMARY_PACKAGE",
            ]
            .contains(&&*name)
        {
            command.env_remove(&*name);
        }
    }
    command
}

fn list_operations() -> Result<(), String> {
    let api = load("spec")?;
    println!("service\tsection\toperation_id\tmethod\tpath\tdeprecated");
    for service in &api.services {
        for op in &service.operations {
            let section = match &op.source {
                codegen::model::Source::Section(s) => s.as_str(),
                codegen::model::Source::Page(_) => "-",
            };
            println!(
                "{}\t{section}\t{}\t{}\t{}\t{}",
                service.name, op.id, op.method, op.path, op.deprecated
            );
        }
    }
    Ok(())
}
