//! The generator never panics on a spec: a spec folder with lines deleted, doubled or cut short,
//! bytes flipped, indentation shifted or values replaced (`.nan`, `.inf`, huge numbers, unicode,
//! YAML oddities) still gives either a model, which then generates files that format, or errors.
//!
//! The mutated folders are the fixture spec and two real services cut down to a few groups that
//! stand on their own, read from `spec/` (so they follow the spec as it changes);
//! `every_base_generates` checks that each one, unmutated, still validates.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// A spec folder to mutate: one service and the YAML files it is read from.
struct Base {
    service: &'static str,
    /// File name and contents; `service.yaml` among them.
    files: Vec<(&'static str, Vec<u8>)>,
}

impl Base {
    fn read(dir: &str, service: &'static str, names: &[&'static str]) -> Base {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let files = names
            .iter()
            .map(|name| {
                let text = fs::read(dir.join(name))
                    .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()));
                (*name, without_fake(name, text))
            })
            .collect();
        Base { service, files }
    }
}

/// A real service file without its `fake:` hints (its last key), which name operations of groups
/// a base leaves out.
fn without_fake(name: &str, text: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8(text).expect("spec files are UTF-8");
    match text.find("\nfake:\n") {
        Some(at) if name == "service.yaml" => text.as_bytes()[..at + 1].to_vec(),
        _ => text.into_bytes(),
    }
}

static BASES: LazyLock<Vec<Base>> = LazyLock::new(|| {
    vec![
        Base::read(
            "tests/fixtures/spec/demo",
            "demo",
            &["service.yaml", "widgets.yaml", "jobs.yaml"],
        ),
        // Real groups: paging, lenient fields and enums (quotas), the job-status operation
        // (tasks), a service without jobs (dws), and the long error-code catalogues of real
        // service files.
        Base::read(
            "spec/taurusdb",
            "taurusdb",
            &["service.yaml", "quotas.yaml", "tasks.yaml"],
        ),
        Base::read(
            "spec/dws",
            "dws",
            &["service.yaml", "availability_zones.yaml"],
        ),
    ]
});

/// A scratch spec folder, one per test (the tests of this file run in parallel).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("no-panic-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Writes `files` as the only service under `root`, loads it and, if it validates, generates
/// every file and formats it. Returns whether it validated; fails the case if a valid spec gives
/// a file that does not format, or an invalid one gives no error.
fn load_variant(
    root: &Path,
    service: &str,
    files: &[(&str, Vec<u8>)],
) -> Result<bool, TestCaseError> {
    let _ = fs::remove_dir_all(root);
    let dir = root.join("spec").join(service);
    fs::create_dir_all(&dir).expect("service folder");
    for (name, text) in files {
        fs::write(dir.join(name), text).expect("write spec file");
    }
    match codegen::load(&root.join("spec")) {
        Ok(api) => {
            let target = codegen::emit::Target {
                src_dir: root.join("out/src"),
                docs_dir: root.join("out/docs"),
                openapi_dir: root.join("out/openapi"),
            };
            let (outputs, _) = codegen::generate(&api, &target);
            prop_assert!(!outputs.is_empty(), "a valid spec generates files");
            for file in &outputs {
                if let Err(e) = codegen::write::render(file) {
                    return Err(TestCaseError::fail(format!(
                        "a valid spec generates {} that does not format: {e}",
                        file.path.display()
                    )));
                }
            }
            Ok(true)
        }
        Err(diags) => {
            prop_assert!(!diags.is_empty(), "an invalid spec reports errors");
            Ok(false)
        }
    }
}

#[test]
fn every_base_generates() {
    let root = scratch("bases");
    for base in BASES.iter() {
        let valid = load_variant(&root, base.service, &base.files);
        assert!(
            matches!(valid, Ok(true)),
            "{}: the unmutated files must validate and generate, or the mutations test only \
             error paths (pick groups that use no other group's types): {valid:?}",
            base.service
        );
    }
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn mutilated_specs_give_errors_not_panics() {
    // Every line of the fixture's group file, in turn: deleted, doubled, the file cut before it,
    // and the line cut in half (4 x 200 variants).
    let base = &BASES[0];
    let group = String::from_utf8_lossy(&base.files[1].1).into_owned();
    let lines: Vec<&str> = group.lines().collect();
    let root = scratch("lines");
    let with_group = |text: String| {
        let mut files = base.files.clone();
        files[1].1 = text.into_bytes();
        load_variant(&root, base.service, &files).expect("no failed assertion");
    };
    for i in 0..lines.len() {
        let deleted: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(n, _)| *n != i)
            .map(|(_, l)| *l)
            .collect();
        with_group(deleted.join("\n"));
        let mut doubled = lines.clone();
        doubled.insert(i, lines[i]);
        with_group(doubled.join("\n"));
        with_group(lines[..i].join("\n"));
        let cut = lines[i].len() / 2;
        let mut halved = lines.clone();
        halved[i] = lines[i].get(..cut).unwrap_or(lines[i]);
        with_group(halved.join("\n"));
    }
    let _ = fs::remove_dir_all(&root);
}

/// One change to a file.
#[derive(Debug, Clone)]
enum Mutation {
    /// XOR one byte with a non-zero mask (may leave invalid UTF-8).
    FlipByte(Index, u8),
    DropLine(Index),
    DuplicateLine(Index),
    /// Add (positive) or remove (negative) leading spaces.
    Indent(Index, i8),
    /// Replace the value after one of the line's `: ` (up to the next `,`, `}` or the end).
    ReplaceValue(Index, Index, String),
}

/// Values that stress a loader: non-finite and out-of-range numbers, unicode, YAML tags, anchors
/// and block markers, broken templates and type expressions.
fn odd_value() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        ".nan",
        ".NaN",
        ".inf",
        "-.inf",
        "1e309",
        "-1e309",
        "2.5e-324",
        "-0",
        "18446744073709551616",
        "-9223372036854775809",
        "340282366920938463463374607431768211456",
        "0x7fffffffffffffff",
        "0o777",
        "1_000",
        "~",
        "null",
        "''",
        "[]",
        "{}",
        "[[[[[[[[]]]]]]]]",
        "true",
        "\"\\u0000\"",
        "\"\\uD800\"",
        "'{'",
        "\"{project_id\"",
        "/v3/{project_id}/{x}/{x}",
        "/v3/{}/../x",
        "array<",
        "map<array<map<Widget>>>",
        "array<array<array<array<string>>>>",
        "*anchor",
        "&a x",
        "!!binary aGk=",
        "!Tag x",
        "? x",
        "|",
        ">-",
        "ключ",
        "名前",
        "🦀",
        "e\u{301}",
        "\u{202e}rtl",
        "\u{feff}bom",
        "Ǆ_ǅ_ǆ",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        4 => fixed,
        1 => "[0-9]{20,60}",
        1 => "-?[0-9]{1,4}\\.[0-9]{1,4}e-?[0-9]{3,5}",
        1 => "\\PC{0,16}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<Index>(), 1..=255u8).prop_map(|(at, mask)| Mutation::FlipByte(at, mask)),
        1 => any::<Index>().prop_map(Mutation::DropLine),
        1 => any::<Index>().prop_map(Mutation::DuplicateLine),
        1 => (any::<Index>(), prop_oneof![-4..=-1i8, 1..=4i8])
            .prop_map(|(line, by)| Mutation::Indent(line, by)),
        3 => (any::<Index>(), any::<Index>(), odd_value())
            .prop_map(|(line, at, value)| Mutation::ReplaceValue(line, at, value)),
    ]
}

fn apply(text: &[u8], mutation: &Mutation) -> Vec<u8> {
    if let Mutation::FlipByte(at, mask) = mutation {
        let mut bytes = text.to_vec();
        if !bytes.is_empty() {
            bytes[at.index(text.len())] ^= mask;
        }
        return bytes;
    }
    // Line edits on the text, invalid UTF-8 from an earlier flip replaced.
    let text = String::from_utf8_lossy(text);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return text.into_owned().into_bytes();
    }
    let count = lines.len();
    match mutation {
        Mutation::FlipByte(..) => {}
        Mutation::DropLine(at) => {
            lines.remove(at.index(count));
        }
        Mutation::DuplicateLine(at) => {
            let i = at.index(count);
            lines.insert(i, lines[i].clone());
        }
        Mutation::Indent(at, by) => {
            let line = &mut lines[at.index(count)];
            *line = if *by > 0 {
                format!("{}{line}", " ".repeat(usize::from(by.unsigned_abs())))
            } else {
                let strip = line
                    .bytes()
                    .take(usize::from(by.unsigned_abs()))
                    .take_while(|b| *b == b' ')
                    .count();
                line[strip..].to_string()
            };
        }
        Mutation::ReplaceValue(at, which, value) => {
            let line = &mut lines[at.index(count)];
            let colons: Vec<usize> = line.match_indices(": ").map(|(i, _)| i + 2).collect();
            *line = match colons.get(which.index(colons.len().max(1))) {
                Some(&start) => {
                    let end = line[start..]
                        .find([',', '}'])
                        .map_or(line.len(), |n| start + n);
                    format!("{}{value}{}", &line[..start], &line[end..])
                }
                // No `key: value` here: the value takes the line's place, indentation kept.
                None => {
                    let indent = line.len() - line.trim_start().len();
                    format!("{}{value}", &line[..indent])
                }
            };
        }
    }
    let mut joined = lines.join("\n");
    joined.push('\n');
    joined.into_bytes()
}

#[test]
fn mutated_specs_never_panic() {
    // 256 cases, each 1 to 4 mutations of one file of one base; every case loads the folder and,
    // when it validates, generates and formats every file.
    // A fixed seed, so that a failure in CI is the same failure on a developer's machine;
    // `PROPTEST_RNG_SEED=<n>` explores other cases.
    let default = Config::default();
    let rng_seed = match default.rng_seed {
        RngSeed::Random => RngSeed::Fixed(0x5EED_0019),
        chosen => chosen,
    };
    let config = Config {
        cases: 256,
        failure_persistence: None,
        rng_seed,
        ..default
    };
    let root = scratch("mutations");
    let case = (
        any::<Index>(),
        any::<Index>(),
        prop::collection::vec(mutation(), 1..=4),
    );
    let result = TestRunner::new(config).run(&case, |(base, file, mutations)| {
        let base = &BASES[base.index(BASES.len())];
        let mut files = base.files.clone();
        let target = file.index(files.len());
        for mutation in &mutations {
            files[target].1 = apply(&files[target].1, mutation);
        }
        load_variant(&root, base.service, &files).map(|_| ())
    });
    let _ = fs::remove_dir_all(&root);
    if let Err(failure) = result {
        panic!("{failure}");
    }
}
