//! `cargo xtask bench`: benchmarks that need more than `cargo bench` (other programs, servers in
//! separate processes). Never run in CI: the numbers depend on the machine.

pub mod http;

/// What `cargo xtask bench` was asked to measure.
pub struct Args {
    /// Client overhead and mock throughput over loopback ([`http`]).
    pub http: bool,
    /// Each measurement briefly, once: proves the suite works, says little about speed.
    pub quick: bool,
}

pub fn run(args: &Args) -> Result<(), String> {
    if !args.http {
        return Err("nothing to measure: pass --http".into());
    }
    http::run(args.quick)
}
