//! One whole generator pass over a spec folder, timed by phase, as `cargo xtask codegen` runs it
//! (and `cargo xtask bench` measures it): load, validate, emit and format (together, on every
//! core), write.

use crate::diag::Diagnostics;
use crate::emit::{Contents, OutputFile, Target};
use crate::format_cache::{FormatCache, Key};
use crate::model::Api;
use crate::write::{self, Change, Rendered};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Wall time of each phase, summed over the passes it was given to; `--timings` prints it so a
/// slow run says which phase to look at.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    /// Reading the YAML files into the raw serde types.
    pub load: Duration,
    /// Checking them and building the model.
    pub validate: Duration,
    /// Emitting and formatting, which run together on [`Timings::threads`] threads.
    pub emit_and_format: Duration,
    /// Of which the emitters (token streams, Markdown, JSON values), summed over the threads.
    pub emit: Duration,
    /// Of which prettyplease and JSON to text, summed over the threads (with a cache, also
    /// hashing the tokens and looking them up).
    pub format: Duration,
    /// Comparing with the files on disk, writing the changed ones, removing stale ones.
    pub write: Duration,
    /// The threads emit and format ran on.
    pub threads: usize,
}

impl Timings {
    /// Wall time of the whole pass.
    pub fn total(&self) -> Duration {
        self.load + self.validate + self.emit_and_format + self.write
    }
}

/// One phase a line, then the total: `load 12.3ms`.
impl fmt::Display for Timings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let threads = self.threads;
        for (phase, time) in [
            ("load", self.load),
            ("validate", self.validate),
            (
                &format!("emit + format, on {threads} threads"),
                self.emit_and_format,
            ),
            ("  emit, summed over the threads", self.emit),
            ("  format, summed over the threads", self.format),
            ("write", self.write),
            ("total", self.total()),
        ] {
            writeln!(f, "  {phase:<35}{time:>10.2?}")?;
        }
        Ok(())
    }
}

/// What one pass produced.
#[derive(Debug)]
pub struct Outcome {
    /// Files generated (whether or not they changed).
    pub files: usize,
    /// Of which Rust files formatted this run, and Rust files whose text came from the cache.
    pub formatted: usize,
    pub reused: usize,
    /// What was written or removed, or with `check`, what would be.
    pub changes: Vec<Change>,
}

/// Loads and validates `spec`, generates everything into `target`, and writes what changed (with
/// `check`, writes nothing). With `cache`, a format cache file (see [`crate::format_cache`]):
/// Rust formatted by an earlier run of this build is taken from it, and it is rewritten with
/// this run's texts. Each phase's time is added to `timings`.
pub fn run(
    spec: &Path,
    target: &Target,
    check: bool,
    cache: Option<&Path>,
    timings: &mut Timings,
) -> Result<Outcome, String> {
    let api = load(spec, timings)?;
    let known = cache.map(FormatCache::load).unwrap_or_default();
    let (rendered, owned) = render(&api, target, &known, timings)?;
    let changes = timed(&mut timings.write, || write::sync(&rendered, &owned, check))?;
    let rust: Vec<(Key, &str)> = rendered
        .iter()
        .filter_map(|file| Some((file.formatted_from?, file.text.as_str())))
        .collect();
    let reused = rust
        .iter()
        .filter(|(key, _)| known.get(*key).is_some())
        .count();
    if let Some(path) = cache.filter(|_| reused < rust.len()) {
        // Only time is lost if it cannot be written: the next run formats everything.
        timed(&mut timings.write, || {
            FormatCache::save(path, rust.iter().copied())
        })
        .ok();
    }
    Ok(Outcome {
        files: rendered.len(),
        formatted: rust.len() - reused,
        reused,
        changes,
    })
}

/// [`crate::load`], timing its two phases.
pub fn load(spec: &Path, timings: &mut Timings) -> Result<Api, String> {
    let mut diags = Diagnostics::default();
    let raw = timed(&mut timings.load, || {
        crate::spec::load::load_dir(spec, &mut diags)
    });
    let api = timed(&mut timings.validate, || {
        crate::spec::validate::validate(raw, &mut diags)
    });
    if diags.is_empty() {
        Ok(api)
    } else {
        Err(diags.finish().to_string())
    }
}

/// The final text of every file [`crate::generate`] makes, in its order, emitted and formatted on
/// every core (Rust whose tokens are in `cache` is not formatted again); and the folders the run
/// owns.
pub fn render(
    api: &Api,
    target: &Target,
    cache: &FormatCache,
    timings: &mut Timings,
) -> Result<(Vec<Rendered>, Vec<PathBuf>), String> {
    let started = Instant::now();
    let (jobs, owned) = crate::jobs(api, target);
    let done = crate::parallel::map(&jobs, |job| {
        let (mut emit, mut format) = (Duration::ZERO, Duration::ZERO);
        let files = timed(&mut emit, job);
        let rendered = timed(&mut format, || {
            files
                .into_iter()
                .map(|file| final_text(file, cache))
                .collect::<Result<Vec<_>, String>>()
        });
        (rendered, emit, format)
    });
    let mut files = Vec::new();
    for (rendered, emit, format) in done {
        files.extend(rendered?);
        timings.emit += emit;
        timings.format += format;
    }
    timings.emit_and_format += started.elapsed();
    timings.threads = crate::parallel::threads().min(jobs.len());
    Ok((files, owned))
}

/// `file` as text: Rust from the cache when its tokens are there, formatted otherwise.
fn final_text(file: OutputFile, cache: &FormatCache) -> Result<Rendered, String> {
    let OutputFile { path, contents } = file;
    let Contents::Rust(tokens) = contents else {
        let text = write::into_text(OutputFile {
            path: path.clone(),
            contents,
        })?;
        return Ok(Rendered {
            path,
            text,
            formatted_from: None,
        });
    };
    let key = Key::of(&tokens.to_string());
    let text = match cache.get(key) {
        Some(text) => text.to_string(),
        None => write::rust_text(&path, tokens)?,
    };
    Ok(Rendered {
        path,
        text,
        formatted_from: Some(key),
    })
}

fn timed<T>(total: &mut Duration, phase: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = phase();
    *total += started.elapsed();
    result
}

#[cfg(test)]
mod tests {
    use super::{load, render, Timings};
    use crate::emit::Target;
    use std::path::Path;

    /// Threads change when files are emitted, never what they hold or the order they come in.
    #[test]
    fn rendering_on_every_core_gives_the_serial_files_in_the_serial_order() {
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/spec");
        let target = Target {
            src_dir: "src".into(),
            docs_dir: "docs".into(),
            openapi_dir: "openapi".into(),
        };
        let mut timings = Timings::default();
        let api = load(&spec, &mut timings).unwrap();
        let (rendered, owned) = render(&api, &target, &Default::default(), &mut timings).unwrap();
        let (serial, serial_owned) = crate::generate(&api, &target);
        assert_eq!(owned, serial_owned);
        assert_eq!(rendered.len(), serial.len());
        for (file, expected) in rendered.iter().zip(&serial) {
            assert_eq!(file.path, expected.path);
            assert_eq!(file.text, crate::write::render(expected).unwrap());
        }
        assert!(timings.threads >= 1);
    }
}

#[cfg(test)]
mod cache_tests {
    use super::{run, Timings};
    use crate::emit::Target;
    use std::fs;
    use std::path::Path;

    /// A second run formats nothing its predecessor formatted, and writes the same files.
    #[test]
    fn a_run_after_the_first_takes_its_rust_from_the_format_cache() {
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/spec");
        let root = std::env::temp_dir().join(format!("codegen-cache-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let target = |name: &str| Target {
            src_dir: root.join(name).join("src"),
            docs_dir: root.join(name).join("docs"),
            openapi_dir: root.join(name).join("openapi"),
        };
        let cache = root.join("format-cache");
        let mut timings = Timings::default();

        let first = run(&spec, &target("a"), false, Some(&cache), &mut timings).unwrap();
        assert!(first.formatted > 10, "{first:?}");
        assert_eq!(first.reused, 0);
        assert!(cache.exists());

        let second = run(&spec, &target("b"), false, Some(&cache), &mut timings).unwrap();
        assert_eq!(second.formatted, 0);
        assert_eq!(second.reused, first.formatted);
        let (a, b) = (root.join("a"), root.join("b"));
        let mut pending = vec![a.clone()];
        let mut compared = 0;
        while let Some(dir) = pending.pop() {
            for path in fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()) {
                if path.is_dir() {
                    pending.push(path);
                } else {
                    let twin = b.join(path.strip_prefix(&a).unwrap());
                    assert_eq!(fs::read(&path).unwrap(), fs::read(&twin).unwrap());
                    compared += 1;
                }
            }
        }
        assert!(compared > first.formatted, "{compared} files compared");

        // Without a cache, nothing is read or written.
        let cold = run(&spec, &target("c"), false, None, &mut timings).unwrap();
        assert_eq!((cold.formatted, cold.reused), (first.formatted, 0));
        fs::remove_dir_all(&root).unwrap();
    }
}
