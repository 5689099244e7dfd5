//! The formatted text of emitted Rust, remembered between runs of the same generator build.
//!
//! Formatting (syn parsing the emitted tokens, then prettyplease) is most of a pass's time, and
//! after an edit to the spec almost every file's tokens are what they were. The cache maps the
//! emitted tokens, as text, to the file text they formatted to; a run formats only the token
//! streams it has not seen.
//!
//! The file holds exactly the entries the last run used, so it never grows beyond one copy of the
//! generated code. It belongs to one build of the generator (the running executable's size and
//! modification time): a rebuilt generator may format differently, so it starts empty. A missing,
//! unreadable or damaged cache file is the same as an empty one; the cache only saves time, and
//! what a run writes never depends on it (CI runs without one).

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::Path;

/// Which token stream a text was formatted from: 128 bits of hash of the tokens' text, so that
/// two different streams never share an entry in practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(u64, u64);

impl Key {
    /// The key of tokens whose text (`TokenStream::to_string`) is `source`.
    ///
    /// `DefaultHasher::new` hashes the same way every time within one build of the generator;
    /// std may change it between Rust releases, but a new toolchain rebuilds the generator, and a
    /// rebuilt generator reads no old cache.
    pub fn of(source: &str) -> Key {
        let half = |salt: u8| {
            let mut hasher = DefaultHasher::new();
            salt.hash(&mut hasher);
            source.hash(&mut hasher);
            hasher.finish()
        };
        Key(half(1), half(2))
    }

    fn hex(self) -> String {
        format!("{:016x}{:016x}", self.0, self.1)
    }

    fn parse(hex: &str) -> Option<Key> {
        if hex.len() != 32 || !hex.is_ascii() {
            return None;
        }
        let (a, b) = hex.split_at(16);
        Some(Key(
            u64::from_str_radix(a, 16).ok()?,
            u64::from_str_radix(b, 16).ok()?,
        ))
    }
}

/// Formatted texts by the key of the tokens they came from.
#[derive(Debug, Default)]
pub struct FormatCache {
    entries: HashMap<Key, String>,
}

/// The first line of a cache file: what it is, and the build that wrote it.
fn header() -> String {
    format!("codegen format cache 1 {}", generator_build())
}

/// The running generator's identity as a build: its executable's size and modification time.
/// Empty when it cannot be known, and then no cache is read.
fn generator_build() -> String {
    let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|exe| fs::metadata(exe).ok())
    else {
        return String::new();
    };
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{}-{modified}", meta.len())
}

impl FormatCache {
    /// The cache in `path`, or an empty one if there is none this build can use.
    pub fn load(path: &Path) -> FormatCache {
        fs::read_to_string(path)
            .ok()
            .and_then(|text| FormatCache::parse(&text, &header()))
            .unwrap_or_default()
    }

    /// Reads a cache file's text; `None` if it was written by another build or is damaged.
    fn parse(text: &str, header: &str) -> Option<FormatCache> {
        let (first, mut rest) = text.split_once('\n')?;
        if first != header || header.ends_with(' ') {
            return None;
        }
        let mut entries = HashMap::new();
        // Each entry: `<key> <length in bytes>\n<text>`.
        while !rest.is_empty() {
            let (line, after) = rest.split_once('\n')?;
            let (key, len) = line.split_once(' ')?;
            let len: usize = len.parse().ok()?;
            let text = after.get(..len)?;
            entries.insert(Key::parse(key)?, text.to_string());
            rest = &after[len..];
        }
        Some(FormatCache { entries })
    }

    /// The text the tokens with this key formatted to, if this build formatted them before.
    pub fn get(&self, key: Key) -> Option<&str> {
        self.entries.get(&key).map(String::as_str)
    }

    /// Writes `entries` (what this run formatted) to `path` as the next run's cache. A failure
    /// only costs the next run its head start, so the caller may ignore it.
    pub fn save<'a>(
        path: &Path,
        entries: impl IntoIterator<Item = (Key, &'a str)>,
    ) -> std::io::Result<()> {
        let mut text = header();
        text.push('\n');
        for (key, formatted) in entries {
            text.push_str(&format!("{} {}\n", key.hex(), formatted.len()));
            text.push_str(formatted);
        }
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        // Written aside and renamed, so a run stopped halfway leaves the old cache or none.
        let partial = path.with_extension("partial");
        fs::write(&partial, text)?;
        fs::rename(&partial, path)
    }
}

#[cfg(test)]
mod tests {
    use super::{header, FormatCache, Key};

    fn saved(entries: &[(Key, &str)]) -> String {
        let dir = std::env::temp_dir().join(format!("format-cache-test-{}", std::process::id()));
        let path = dir.join(Key::of(&format!("{entries:?}")).hex());
        FormatCache::save(&path, entries.iter().copied()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        text
    }

    #[test]
    fn what_a_run_saved_the_next_run_of_the_same_build_finds() {
        let (a, b) = (Key::of("fn a() {}"), Key::of("fn b() {}"));
        let text = saved(&[(a, "fn a() {}\n"), (b, "// ü\nfn b() {}\n\n")]);
        let cache = FormatCache::parse(&text, &header()).unwrap();
        assert_eq!(cache.get(a), Some("fn a() {}\n"));
        assert_eq!(cache.get(b), Some("// ü\nfn b() {}\n\n"));
        assert_eq!(cache.get(Key::of("fn c() {}")), None);
    }

    #[test]
    fn another_build_or_a_damaged_file_gives_no_cache() {
        let key = Key::of("fn a() {}");
        let text = saved(&[(key, "fn a() {}\n")]);
        assert!(FormatCache::parse(&text, "codegen format cache 1 other-build").is_none());
        // Cut short inside the entry's text, or with a bad length or key.
        assert!(FormatCache::parse(&text[..text.len() - 2], &header()).is_none());
        let bad_len = text.replace(" 10\n", " x\n");
        assert!(FormatCache::parse(&bad_len, &header()).is_none());
        let line = format!("{} 10", key.hex());
        let bad_key = text.replace(&line, &format!("zz{}", &line[2..]));
        assert_ne!(bad_key, text);
        assert!(FormatCache::parse(&bad_key, &header()).is_none());
    }

    #[test]
    fn different_tokens_have_different_keys() {
        assert_ne!(Key::of("fn a() {}"), Key::of("fn b() {}"));
        assert_eq!(Key::of("fn a() {}"), Key::of("fn a() {}"));
        let key = Key::of("x");
        assert_eq!(Key::parse(&key.hex()), Some(key));
    }
}
