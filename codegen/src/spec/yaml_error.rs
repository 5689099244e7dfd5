//! Turns serde_yaml's errors into plain words at the line and column a maintainer has to edit.
//!
//! libyaml reports where it noticed a problem, which is often after the mistake: an unclosed quote
//! is noticed at the end of the file, a key without `:` on the next line, a duplicate key at the
//! start of its mapping. Each common error is therefore moved to the character that is wrong and
//! said in words; an error this module does not know keeps libyaml's text, without its positions.

use super::locate::split_key;
use super::suggest::closest;

/// An error at one character of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Describes `error`, raised while reading `text`. `subject` names what was being read when the
/// error's own path does not start at the top of the file (`operation `x``); it may be empty.
pub fn describe(error: &serde_yaml::Error, text: &str, subject: &str) -> Located {
    let (line, column) = error
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let shown = error.to_string();
    let lines: Vec<&str> = text.lines().collect();
    if let Some(found) = syntax(&shown, line, column, &lines) {
        return found;
    }
    let message = match shown.rfind(" at line ") {
        Some(cut) if line > 0 => &shown[..cut],
        _ => shown.as_str(),
    };
    let (path, message) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => (path, rest),
        _ => ("", message),
    };
    let at = Located {
        line,
        column,
        message: String::new(),
    };
    let (at, words, about_layout) = shape(message, path, at, &lines);
    let place = match (subject.is_empty(), path.is_empty()) {
        // The layout of the text is wrong, not the data it holds: where in the data says nothing.
        _ if about_layout => String::new(),
        (true, true) => String::new(),
        (true, false) => format!("{path}: "),
        (false, true) => format!("{subject}: "),
        (false, false) => format!("{subject}, {path}: "),
    };
    Located {
        message: format!("{place}{words}"),
        ..at
    }
}

/// libyaml's errors read `problem at line L column C[, context[ at line L column C]]`.
fn syntax(shown: &str, line: usize, column: usize, lines: &[&str]) -> Option<Located> {
    let (problem, rest) = shown.split_once(" at line ")?;
    let context = rest.split_once(", ").map(|(_, c)| c);
    let (context_text, context_mark) = match context {
        Some(c) => match c.rsplit_once(" at line ") {
            Some((text, mark)) => (text, parse_mark(mark)),
            None => (c, None),
        },
        None => ("", None),
    };
    let here = |message: &str| Located {
        line,
        column,
        message: message.to_string(),
    };
    let line_text = lines.get(line.wrapping_sub(1)).copied().unwrap_or("");
    let starts_line = line_text.len() - line_text.trim_start().len() + 1 == column;
    let found = match problem {
        "found a tab character that violates indentation"
        | "found a tab character where an indentation space is expected" => {
            here("a tab character in the indentation; YAML indents with spaces only")
        }
        "did not find expected key" | "did not find expected '-' indicator" if starts_line => {
            here("the indentation does not match the lines above")
        }
        "did not find expected key" => {
            here("unexpected text after the value; quote the whole value")
        }
        "mapping values are not allowed in this context" => colon_in_value(line, column, lines),
        "could not find expected ':'" => {
            let (l, c) = context_mark.unwrap_or((line, column));
            Located {
                line: l,
                column: c,
                message: "a key without `:` and a value".into(),
            }
        }
        "found unexpected end of stream" if context_text.contains("quoted scalar") => {
            let (l, c) = context_mark.unwrap_or((line, column));
            Located {
                line: l,
                column: c,
                message: "this quote is never closed".into(),
            }
        }
        "did not find expected ',' or ']'" | "did not find expected ',' or '}'" => {
            let (l, c) = context_mark.unwrap_or((line, column));
            let (open, close) = if problem.ends_with("']'") {
                ('[', ']')
            } else {
                ('{', '}')
            };
            Located {
                line: l,
                column: c,
                message: format!(
                    "this `{open}` is never closed by `{close}` (or a `,` is missing)"
                ),
            }
        }
        "block sequence entries are not allowed in this context" => here(
            "a `- ` list item cannot follow a key on its line; start the list on the next line",
        ),
        "found character that cannot start any token" => {
            let character = line_text
                .chars()
                .nth(column.saturating_sub(1))
                .unwrap_or(' ');
            here(&format!(
                "a value cannot start with `{character}`; quote the value"
            ))
        }
        _ if is_libyaml_context(context_text) || problem.starts_with("found ") => {
            let mut message = format!("YAML syntax error: {problem}");
            if !context_text.is_empty() {
                message.push_str(&format!(" ({context_text})"));
            }
            here(&message)
        }
        _ => return None,
    };
    Some(found)
}

fn is_libyaml_context(context: &str) -> bool {
    context.starts_with("while ")
}

/// `L column C` as it follows `at line `.
fn parse_mark(mark: &str) -> Option<(usize, usize)> {
    let (line, column) = mark.split_once(" column ")?;
    Some((line.trim().parse().ok()?, column.trim().parse().ok()?))
}

/// A `:` libyaml did not expect: in a value (`a: b: c`), or on a line that the line above made a
/// continuation of its value, either by a missing `:` or by this line's deeper indentation.
fn colon_in_value(line: usize, column: usize, lines: &[&str]) -> Located {
    let text = lines.get(line.wrapping_sub(1)).copied().unwrap_or("");
    let indent = text.len() - text.trim_start().len();
    let first_key_colon = text.find(": ").map(|c| c + 1);
    if first_key_colon.is_some_and(|c| c < column.saturating_sub(1)) {
        return Located {
            line,
            column,
            message: "a value that contains `: ` must be quoted".into(),
        };
    }
    let above = (1..line)
        .rev()
        .find(|n| {
            let t = lines[n - 1].trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|n| (n, lines[n - 1]));
    if let Some((n, above_text)) = above {
        let above_indent = above_text.len() - above_text.trim_start().len();
        let content = above_text.trim_start().trim_start_matches("- ");
        if split_key(content).is_none() && above_indent == indent {
            return Located {
                line: n,
                column: above_indent + 1,
                message: "a key without `:` and a value".into(),
            };
        }
    }
    Located {
        line,
        column: indent + 1,
        message: "the indentation does not match the lines above".into(),
    }
}

/// serde's errors about the shape of the data, with `path` the place in the document.
fn shape(message: &str, path: &str, at: Located, lines: &[&str]) -> (Located, String, bool) {
    let key_of_path = path.rsplit('.').next().unwrap_or(path);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (name, rest) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        let words = match closest(name, expected.iter().copied()) {
            Some(close) => format!("unknown key `{name}`; did you mean `{close}`?"),
            None if expected.is_empty() => {
                format!("unknown key `{name}`; no keys are allowed here")
            }
            None => format!(
                "unknown key `{name}`; the keys here are {}",
                expected.join(", ")
            ),
        };
        return (at, words, false);
    }
    if let Some(name) = backticked(message, "missing field `") {
        if let Some((line, column)) = misplaced_key(lines, at.line, at.column, name) {
            let words = format!(
                "the indentation does not match the lines above (`{name}` belongs with the keys at line {})",
                at.line
            );
            return (Located { line, column, ..at }, words, true);
        }
        return (at, format!("missing key `{name}`"), false);
    }
    let duplicate = backticked(message, "duplicate field `")
        .or_else(|| quoted(message, "duplicate entry with key \""));
    if let Some(name) = duplicate {
        return match repeated_key(lines, at.line, at.column, name) {
            Some(((first, _), (line, column))) => (
                Located { line, column, ..at },
                format!("duplicate key `{name}` (first at line {first})"),
                false,
            ),
            None => (at, format!("duplicate key `{name}`"), false),
        };
    }
    if let Some(expected) = message.strip_prefix("invalid type: unit value, expected ") {
        return (
            at,
            format!("`{key_of_path}` has no value; expected {expected}"),
            false,
        );
    }
    (at, message.to_string(), false)
}

fn backticked<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    message.strip_prefix(prefix)?.split('`').next()
}

fn quoted<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    message.strip_prefix(prefix)?.split('"').next()
}

/// The keys of the block mapping whose first key is at `line`:`column`, with their positions,
/// and the first line after it.
fn mapping_keys(
    lines: &[&str],
    line: usize,
    column: usize,
) -> (Vec<(String, usize, usize)>, usize) {
    let mut keys = Vec::new();
    let mut n = line;
    while let Some(text) = lines.get(n.wrapping_sub(1)) {
        let trimmed = text.trim_start();
        let indent = text.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            n += 1;
            continue;
        }
        if n > line && indent + 1 < column {
            break;
        }
        if n == line || indent + 1 == column {
            let start = column.saturating_sub(1).min(text.len());
            if let Some((name, _)) = split_key(&text[start..]) {
                keys.push((name, n, column));
            }
        }
        n += 1;
    }
    (keys, n)
}

/// Where `name` is written a second time in the mapping starting at `line`:`column`.
fn repeated_key(
    lines: &[&str],
    line: usize,
    column: usize,
    name: &str,
) -> Option<((usize, usize), (usize, usize))> {
    let (keys, _) = mapping_keys(lines, line, column);
    let mut found = keys.iter().filter(|(k, _, _)| k == name);
    let (_, l1, c1) = found.next()?;
    let (_, l2, c2) = found.next()?;
    Some(((*l1, *c1), (*l2, *c2)))
}

/// A key missing from the mapping at `line`:`column` that is written right after it, indented
/// less (so YAML gave it to an outer mapping).
fn misplaced_key(lines: &[&str], line: usize, column: usize, name: &str) -> Option<(usize, usize)> {
    let (_, after) = mapping_keys(lines, line, column);
    let text = lines.get(after.wrapping_sub(1))?;
    let trimmed = text.trim_start();
    let (key, _) = split_key(trimmed)?;
    (key == name).then_some((after, text.len() - trimmed.len() + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Located {
        let error = serde_yaml::from_str::<serde_yaml::Value>(text).expect_err("broken YAML");
        describe(&error, text, "")
    }

    fn at(line: usize, column: usize, message: &str) -> Located {
        Located {
            line,
            column,
            message: message.into(),
        }
    }

    #[test]
    fn syntax_errors_in_words() {
        assert_eq!(
            read("a:\n  b: 1\n  c:\n    d: 2\n   e: 3\n"),
            at(5, 4, "the indentation does not match the lines above")
        );
        assert_eq!(
            read("a:\n  b: 1\n\tc: 2\n"),
            at(
                3,
                1,
                "a tab character in the indentation; YAML indents with spaces only"
            )
        );
        assert_eq!(
            read("a: \"abc\nb: 1\n"),
            at(1, 4, "this quote is never closed")
        );
        assert_eq!(
            read("a: [1, 2\nb: 1\n"),
            at(
                1,
                4,
                "this `[` is never closed by `]` (or a `,` is missing)"
            )
        );
        assert_eq!(
            read("a:\n  b\n  c: 1\n"),
            at(2, 3, "a key without `:` and a value")
        );
        assert_eq!(
            read("a: 1\ntitle\n"),
            at(2, 1, "a key without `:` and a value")
        );
        assert_eq!(
            read("a:\n  b: 1\n    c: 2\n"),
            at(3, 5, "the indentation does not match the lines above")
        );
        assert_eq!(
            read("a: b: c\n"),
            at(1, 5, "a value that contains `: ` must be quoted")
        );
        assert_eq!(
            read("x:\n  a: 1\n  b: 2\n  a: 3\n"),
            at(4, 3, "x: duplicate key `a` (first at line 2)")
        );
    }

    #[test]
    fn unknown_errors_keep_their_text_without_positions() {
        assert_eq!(
            read("a: !<x\n"),
            at(
                1,
                7,
                "YAML syntax error: did not find the expected '>' (while scanning a tag)"
            )
        );
    }
}
