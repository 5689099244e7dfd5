//! `cargo xtask import` and `cargo xtask drift`: the document side of the spec's upkeep.

use codegen::document::{DocOperation, Document};
use codegen::import::{self, Existing, Options};
use codegen::spec::raw::GroupFile;
use std::fs;
use std::path::{Path, PathBuf};

pub struct Args {
    pub doc: PathBuf,
    pub service: String,
    pub sections: Vec<String>,
    pub chapters: Vec<String>,
    pub group: Option<String>,
    pub title: Option<String>,
    pub spec: PathBuf,
}

fn read_doc(path: &Path) -> Result<(Document, Option<String>), String> {
    let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let doc = Document::parse(&text);
    // A single page has no numbered sections: its operation is found by the page's file name.
    let page = doc
        .sections
        .iter()
        .all(|s| s.number.is_none())
        .then(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .flatten();
    Ok((doc, page))
}

/// The document's operations in the chosen sections and chapters (all of them if none is chosen).
fn selected(
    doc: &Document,
    sections: &[String],
    chapters: &[String],
) -> Result<Vec<DocOperation>, String> {
    for s in sections {
        if doc.form == codegen::document::Form::Reference && doc.section(s).is_none() {
            return Err(format!("the document has no section {s}"));
        }
    }
    let wanted = |number: Option<&str>| -> bool {
        if sections.is_empty() && chapters.is_empty() {
            return true;
        }
        let Some(n) = number else { return true };
        sections.iter().any(|s| s == n) || chapters.iter().any(|c| n.starts_with(&format!("{c}.")))
    };
    Ok(doc
        .operations()
        .into_iter()
        .filter(|op| wanted(op.number.as_deref()))
        .collect())
}

/// What the spec folder already has for a service: ids and types, so drafts reuse and avoid them.
fn existing(spec: &Path, service: &str) -> Existing {
    let mut existing = Existing::default();
    let Ok(entries) = fs::read_dir(spec.join(service)) else {
        return existing;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == "service.yaml") {
            continue;
        }
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let Ok(group) = serde_yaml::from_str::<GroupFile>(&text) else {
            continue;
        };
        for op in group.operations {
            existing.ids.insert(op.id);
        }
        for ty in group.types {
            if let Some(fields) = ty.fields {
                existing.types.insert(
                    ty.name,
                    fields
                        .into_iter()
                        .map(|f| (f.name, f.ty, f.required))
                        .collect(),
                );
            }
        }
    }
    existing
}

pub fn run(args: &Args) -> Result<(), String> {
    let (doc, page) = read_doc(&args.doc)?;
    let ops = selected(&doc, &args.sections, &args.chapters)?;
    if ops.is_empty() {
        return Err("no operation found in the chosen sections".into());
    }
    let group = match &args.group {
        Some(g) => g.clone(),
        None => return Err("say which group file to write with --group NAME".into()),
    };
    let options = Options::for_document(&args.service, &doc, page);
    let mut draft = import::draft(&ops, &existing(&args.spec, &args.service), &options);
    let shared = codegen::migrate::shared_parameters(&args.spec.join(&args.service));
    let (operations, used_shared) = codegen::migrate::migrate_items(&draft.operations, &shared);
    draft.operations = operations;
    let path = args.spec.join(&args.service).join(format!("{group}.yaml"));
    let current = fs::read_to_string(&path).ok();
    let title = args.title.clone().or_else(|| {
        let chapter = ops
            .first()?
            .number
            .as_deref()?
            .rsplit_once('.')?
            .0
            .to_string();
        doc.section(&chapter).map(|s| s.title.clone())
    });
    let title = title.unwrap_or_else(|| group.clone());
    let text = import::group_file_text(current.as_deref(), &group, &title, &draft);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    print!("{}", draft.report);
    if used_shared != codegen::migrate::Report::default() {
        println!("shared parameters: {used_shared}");
    }
    println!("next: read every line of the draft against the document, then `cargo xtask validate` and `cargo xtask drift`");
    Ok(())
}

pub fn drift(
    doc_path: &Path,
    service: Option<String>,
    sections: &[String],
    chapters: &[String],
    show_explained: bool,
    spec: &Path,
) -> Result<(), String> {
    let (doc, page) = read_doc(doc_path)?;
    let api = codegen::load(spec).map_err(|d| d.to_string())?;
    let file_name = doc_path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let service = service
        .or_else(|| {
            api.services
                .iter()
                .find(|s| file_name.contains(&s.name))
                .map(|s| s.name.clone())
        })
        .ok_or("say which service the document describes with --service NAME")?;
    let service = api
        .services
        .iter()
        .find(|s| s.name == service)
        .ok_or(format!("the spec has no service `{service}`"))?;
    let ops = selected(&doc, sections, chapters)?;
    let items = codegen::drift::compare(service, &ops, page.as_deref());
    let unexplained: Vec<_> = items.iter().filter(|i| !i.explained).collect();
    if !unexplained.is_empty() {
        println!(
            "{:<8} {:<40} {:<46} {:<30} doc",
            "section", "operation", "difference", "spec"
        );
    }
    for item in &unexplained {
        println!("{item}");
    }
    if show_explained {
        println!("explained (listed under `deliberate`):");
        for item in items.iter().filter(|i| i.explained) {
            println!("{item}");
        }
    }
    let stale = codegen::drift::stale_deliberate(service, &ops, page.as_deref(), &items);
    if !stale.is_empty() {
        println!("deliberate entries that match no difference (remove them):");
        for s in &stale {
            println!("  {s}");
        }
    }
    println!(
        "{}; {} stale deliberate entries ({} operations read from the document)",
        codegen::drift::summary(&items),
        stale.len(),
        ops.len()
    );
    if unexplained.is_empty() {
        Ok(())
    } else {
        Err(format!("{} unexplained differences", unexplained.len()))
    }
}
