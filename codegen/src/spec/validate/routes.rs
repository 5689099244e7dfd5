//! Two operations must not share a route: the mock (and any router) would answer one of them for
//! both. Paths that differ only in parameter names (`/a/{id}`, `/a/{name}`) route the same.

use super::context::Loc;
use crate::diag::Diagnostics;
use crate::model::{Operation, PathPart};
use std::collections::BTreeMap;

pub(super) fn check_routes(operations: &[(Loc, Operation)], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<(String, String), &(Loc, Operation)> = BTreeMap::new();
    for entry in operations {
        let (loc, op) = entry;
        match seen.get(&route(op)) {
            Some((first_loc, first)) => diags.push(
                &loc.file,
                loc.line,
                format!(
                    "operation `{}` ({loc}) has the same route as `{}` ({first_loc}): {} {} and {} {}",
                    op.id, first.id, op.method, op.path, first.method, first.path
                ),
            ),
            None => {
                seen.insert(route(op), entry);
            }
        }
    }
}

/// The method and the path with every parameter unnamed.
fn route(op: &Operation) -> (String, String) {
    let path = op
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text.as_str(),
            PathPart::Param(_) => "{}",
        })
        .collect();
    (op.method.clone(), path)
}
