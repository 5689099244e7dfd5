//! Where a problem is reported: `file:line: message`, with the line found from the YAML path.

use crate::diag::Diagnostics;
use crate::spec::load::SourceFile;
use crate::spec::locate::Seg;
use std::path::PathBuf;

/// Where something was written, for messages that point at a second place.
#[derive(Debug, Clone)]
pub(super) struct Loc {
    pub(super) file: PathBuf,
    pub(super) line: usize,
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// Reports problems found in one file.
pub(super) struct FileCtx<'a> {
    pub(super) file: &'a SourceFile,
    pub(super) diags: &'a mut Diagnostics,
}

impl FileCtx<'_> {
    pub(super) fn loc(&self, path: &[Seg]) -> Loc {
        Loc {
            file: self.file.path.clone(),
            line: self.file.index.line(path),
        }
    }

    pub(super) fn error(&mut self, path: &[Seg], message: impl Into<String>) {
        let line = self.file.index.line(path);
        self.diags.push(&self.file.path, line, message);
    }
}
