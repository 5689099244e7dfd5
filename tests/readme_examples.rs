//! Every Rust example in a README is a region of a test file that CI compiles and runs, so the
//! README cannot drift from the API. The line before each ` ```rust ` fence names its region,
//! `<!-- example: generated/tests/readme_mock.rs#mock-state -->`, and the block is the text between
//! `// --- README start: mock-state` and `// --- README end` in that file, word for word once the
//! common indentation is removed.

use std::collections::BTreeSet;
use std::path::Path;

/// Every README of the repository and of the crates it publishes.
const READMES: [&str; 4] = [
    "README.md",
    "generated/README.md",
    "runtime/README.md",
    "schema/README.md",
];

/// The files that hold README regions.
const REGION_FILES: [&str; 2] = [
    "generated/tests/readme_client.rs",
    "generated/tests/readme_mock.rs",
];

const START: &str = "// --- README start: ";
const END: &str = "// --- README end";

/// A ` ```rust ` block of a README.
#[derive(Debug)]
struct Block {
    /// 1-based line of the opening fence.
    line: usize,
    /// `file#region` from the comment on the line before the fence, if there is one.
    source: Option<String>,
    text: String,
}

fn rust_blocks(markdown: &str) -> Vec<Block> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].trim_start().starts_with("```rust") {
            i += 1;
            continue;
        }
        let source = i
            .checked_sub(1)
            .and_then(|previous| lines[previous].trim().strip_prefix("<!-- example: "))
            .and_then(|rest| rest.strip_suffix(" -->"))
            .map(str::to_string);
        let body: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| !l.trim_start().starts_with("```"))
            .copied()
            .collect();
        blocks.push(Block {
            line: i + 1,
            source,
            text: dedent(&body),
        });
        i += body.len() + 2;
    }
    blocks
}

/// The regions of a source file by name, dedented; a region without its end is reported.
fn regions(source: &str) -> Result<Vec<(String, String)>, String> {
    let mut found = Vec::new();
    let mut open: Option<(String, Vec<&str>)> = None;
    for line in source.lines() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix(START) {
            if let Some((previous, _)) = open {
                return Err(format!("region {previous} has no end before {name}"));
            }
            open = Some((name.to_string(), Vec::new()));
        } else if trimmed == END {
            let (name, lines) = open.take().ok_or("an end without a start")?;
            found.push((name, dedent(&lines)));
        } else if let Some((_, lines)) = &mut open {
            lines.push(line);
        }
    }
    match open {
        Some((name, _)) => Err(format!("region {name} has no end")),
        None => Ok(found),
    }
}

/// The lines without their common indentation and trailing spaces.
fn dedent(lines: &[&str]) -> String {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut text = String::new();
    for line in lines {
        text.push_str(line.get(indent..).unwrap_or("").trim_end());
        text.push('\n');
    }
    text
}

/// What is wrong with the Rust blocks of `readme`, given the regions of each region file.
fn problems(
    readme: &str,
    markdown: &str,
    regions: &[(String, Vec<(String, String)>)],
) -> Vec<String> {
    let mut problems = Vec::new();
    for block in rust_blocks(markdown) {
        let at = format!("{readme}:{}", block.line);
        let Some(source) = &block.source else {
            problems.push(format!(
                "{at}: a Rust block without `<!-- example: <file>#<region> -->` on the line before"
            ));
            continue;
        };
        let region = source.split_once('#').and_then(|(file, name)| {
            let (_, file_regions) = regions.iter().find(|(f, _)| f == file)?;
            file_regions.iter().find(|(n, _)| n == name)
        });
        match region {
            None => problems.push(format!("{at}: no region {source}")),
            Some((_, text)) if *text != block.text => problems.push(format!(
                "{at}: the block differs from {source}; copy the region:\n{text}"
            )),
            Some(_) => {}
        }
    }
    problems
}

fn read(root: &Path, file: &str) -> String {
    std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn every_rust_block_of_a_readme_is_a_compiled_region_and_every_region_is_shown() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all_problems = Vec::new();
    let mut regions_by_file = Vec::new();
    for file in REGION_FILES {
        match regions(&read(root, file)) {
            Ok(found) => regions_by_file.push((file.to_string(), found)),
            Err(e) => all_problems.push(format!("{file}: {e}")),
        }
    }
    let mut shown = BTreeSet::new();
    for readme in READMES {
        let markdown = read(root, readme);
        all_problems.extend(problems(readme, &markdown, &regions_by_file));
        shown.extend(rust_blocks(&markdown).into_iter().filter_map(|b| b.source));
    }
    for (file, found) in &regions_by_file {
        for (name, _) in found {
            if !shown.contains(&format!("{file}#{name}")) {
                all_problems.push(format!("{file}: region {name} is in no README"));
            }
        }
    }
    assert!(all_problems.is_empty(), "{}", all_problems.join("\n\n"));
}

#[test]
fn a_block_that_differs_from_its_region_or_names_none_is_reported() {
    let source =
        "fn f() {\n    // --- README start: one\n    let x = 1;\n    // --- README end\n}\n";
    let found = vec![("a.rs".to_string(), regions(source).unwrap())];
    let same = "<!-- example: a.rs#one -->\n```rust\nlet x = 1;\n```\n";
    assert_eq!(problems("R.md", same, &found), Vec::<String>::new());

    let differs = "text\n<!-- example: a.rs#one -->\n```rust,ignore\nlet x = 2;\n```\n";
    let reported = problems("R.md", differs, &found);
    assert!(
        reported[0].starts_with("R.md:3: the block differs from a.rs#one"),
        "{reported:?}"
    );

    let unnamed = "```rust\nlet x = 1;\n```\n<!-- example: a.rs#two -->\n```rust\n```\n";
    let reported = problems("R.md", unnamed, &found);
    assert!(
        reported[0].starts_with("R.md:1: a Rust block without"),
        "{reported:?}"
    );
    assert_eq!(reported[1], "R.md:5: no region a.rs#two");
}

#[test]
fn a_region_without_its_end_is_an_error() {
    let source = "// --- README start: one\nlet x = 1;\n";
    assert_eq!(regions(source), Err("region one has no end".to_string()));
}
