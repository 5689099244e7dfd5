//! Reads `spec/` from disk into raw serde types, keeping each file's text for line lookups.

use super::locate::LineIndex;
use super::raw::{GroupFile, ServiceFile};
use super::recover::{group_by_items, Broken};
use super::yaml_error;
use crate::diag::Diagnostics;
use serde::de::DeserializeOwned;
use std::fs;
use std::path::{Path, PathBuf};

/// One YAML file as read: where it is and how to find lines in it.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub index: LineIndex,
}

/// One service folder, parsed.
#[derive(Debug)]
pub struct RawService {
    pub dir_name: String,
    pub service: (SourceFile, ServiceFile),
    /// Sorted by file name.
    pub groups: Vec<(SourceFile, GroupFile)>,
    /// What could not be read, so that checks spanning the service do not report its absence.
    pub broken: Broken,
}

/// Reads every service folder under `dir`. Files that do not parse are reported and skipped, so
/// one run reports the problems of every file.
pub fn load_dir(dir: &Path, diags: &mut Diagnostics) -> Vec<RawService> {
    let mut services = Vec::new();
    let entries = match sorted_entries(dir) {
        Ok(entries) => entries,
        Err(e) => {
            diags.push(dir, 0, format!("cannot read the spec folder: {e}"));
            return services;
        }
    };
    for service_dir in entries.into_iter().filter(|p| p.is_dir()) {
        let dir_name = service_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let files = match sorted_entries(&service_dir) {
            Ok(files) => files,
            Err(e) => {
                diags.push(
                    &service_dir,
                    0,
                    format!("cannot read the service folder: {e}"),
                );
                continue;
            }
        };
        let mut service = None;
        let mut group_files = Vec::new();
        let mut saw_service_file = false;
        for file in files {
            let Some(name) = file.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
                if file.is_file() && !name.ends_with(".md") {
                    diags.push(
                        &file,
                        0,
                        "not a YAML file: spec folders hold only .yaml files (and .md notes)",
                    );
                }
                continue;
            }
            if name == "service.yaml" {
                saw_service_file = true;
                service = parse_file::<ServiceFile>(&file, diags);
            } else {
                group_files.push(file);
            }
        }
        // Group files are independent until validation, so they are parsed on every core; each
        // keeps its own findings, merged in file order.
        let parsed = crate::parallel::map(&group_files, |file| {
            let (mut found, mut broken) = (Diagnostics::default(), Broken::default());
            let group = parse_group(file, &mut found, &mut broken);
            (group, found, broken)
        });
        let mut groups = Vec::new();
        let mut broken = Broken::default();
        for (group, found, file_broken) in parsed {
            groups.extend(group);
            diags.0.extend(found.0);
            broken.absorb(file_broken);
        }
        if !saw_service_file {
            diags.push(
                service_dir.join("service.yaml"),
                0,
                format!("service folder `{dir_name}` has no service.yaml"),
            );
        }
        if let Some(service) = service {
            services.push(RawService {
                dir_name,
                service,
                groups,
                broken,
            });
        }
    }
    services
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()?;
    entries.sort();
    Ok(entries)
}

fn parse_file<T: DeserializeOwned>(
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<(SourceFile, T)> {
    let text = read(path, diags)?;
    match serde_yaml::from_str::<T>(&text) {
        Ok(value) => Some((source(path, &text), value)),
        Err(e) => {
            let found = yaml_error::describe(&e, &text, "");
            diags.push_at(path, found.line, found.column, found.message);
            None
        }
    }
}

/// A group file; one that does not deserialize as a whole is read item by item, so that every bad
/// item is reported and the good ones are still checked.
fn parse_group(
    path: &Path,
    diags: &mut Diagnostics,
    broken: &mut Broken,
) -> Option<(SourceFile, GroupFile)> {
    let text = read(path, diags)?;
    let file = source(path, &text);
    match serde_yaml::from_str::<GroupFile>(&text) {
        Ok(group) => Some((file, group)),
        Err(e) => {
            let (group, errors) = group_by_items(&text, &file.index, &e, broken);
            for found in errors {
                diags.push_at(path, found.line, found.column, found.message);
            }
            group.map(|group| (file, group))
        }
    }
}

fn read(path: &Path, diags: &mut Diagnostics) -> Option<String> {
    fs::read_to_string(path)
        .map_err(|e| diags.push(path, 0, format!("cannot read file: {e}")))
        .ok()
}

fn source(path: &Path, text: &str) -> SourceFile {
    SourceFile {
        path: path.to_path_buf(),
        index: LineIndex::new(text),
    }
}
