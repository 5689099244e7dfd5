//! Checks between operations, made once every operation is built: a deprecated operation's
//! `replaced_by` names a live operation of the same service, and each `deliberate` entry is one
//! that `cargo xtask drift` could print.

use super::load::SourceFile;
use super::locate::{idx, key};
use super::raw::GroupFile;
use super::recover::Broken;
use super::suggest::did_you_mean;
use crate::diag::Diagnostics;
use crate::drift::KINDS;
use crate::model::{Operation, Replacement};

pub fn resolve<L>(
    groups: &[(SourceFile, GroupFile)],
    operations: &mut [(L, Operation)],
    broken: &Broken,
    diags: &mut Diagnostics,
) {
    // What a replacement needs of every operation, taken before any is changed.
    let targets: Vec<(Replacement, bool)> = operations
        .iter()
        .map(|(_, o)| {
            let replacement = Replacement {
                id: o.id.clone(),
                group: o.group.clone(),
                method_name: o.method_name.clone(),
                summary: o.summary.clone(),
            };
            (replacement, o.deprecated)
        })
        .collect();
    for (file, group) in groups {
        for (i, raw) in group.operations.iter().enumerate() {
            let Some((_, op)) = operations.iter_mut().find(|(_, o)| o.id == raw.id) else {
                continue;
            };
            let what = format!("operation `{}`", raw.id);
            if let Some(target) = &raw.replaced_by {
                let line = file
                    .index
                    .line(&[key("operations"), idx(i), key("replaced_by")]);
                match targets.iter().find(|(r, _)| r.id == *target) {
                    // The target is reported where it is written; this would only repeat it.
                    None if broken.hides_operation(target) => {}
                    _ if !raw.deprecated => diags.push(
                        &file.path,
                        line,
                        format!("{what}: replaced_by is only for deprecated operations"),
                    ),
                    None => diags.push(
                        &file.path,
                        line,
                        format!(
                            "{what}: replaced_by names no operation `{target}`{}",
                            did_you_mean(target, targets.iter().map(|(r, _)| r.id.as_str()))
                        ),
                    ),
                    Some((_, true)) => diags.push(
                        &file.path,
                        line,
                        format!("{what}: replaced_by names `{target}`, which is deprecated too"),
                    ),
                    Some((r, false)) => op.replaced_by = Some(r.clone()),
                }
            }
            for (n, entry) in raw.deliberate.iter().enumerate() {
                let kind = entry.split_whitespace().next().unwrap_or("");
                if !KINDS.contains(&kind) {
                    let line =
                        file.index
                            .line(&[key("operations"), idx(i), key("deliberate"), idx(n)]);
                    diags.push(
                        &file.path,
                        line,
                        format!(
                            "{what}: deliberate entry `{entry}` does not start with a drift kind ({})",
                            KINDS.join(", ")
                        ),
                    );
                }
            }
        }
    }
}
