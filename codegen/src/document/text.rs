//! Text clean-up shared by the document readers: the extractions carry Markdown and HTML markup,
//! escaped underscores and Cyrillic look-alike letters in table headers ("Туре").

/// One line without its Markdown heading marks, bold marks and escapes, trimmed.
pub fn strip_markup(line: &str) -> String {
    let line = line.trim_start_matches('#').trim();
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars
                .peek()
                .is_some_and(|n| matches!(n, '_' | '{' | '}' | '*' | '[' | ']' | '$' | '#')) =>
            {
                continue
            }
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
            }
            _ => out.push(latin(c)),
        }
    }
    let out = out.replace("<b>", "").replace("</b>", "");
    out.trim().to_string()
}

/// Cyrillic letters that the extraction put where Latin ones look the same.
fn latin(c: char) -> char {
    match c {
        'Т' => 'T',
        'у' => 'y',
        'р' => 'p',
        'е' => 'e',
        'о' => 'o',
        'а' => 'a',
        'с' => 'c',
        'х' => 'x',
        'Е' => 'E',
        'А' => 'A',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'М' => 'M',
        'Н' => 'H',
        'К' => 'K',
        'В' => 'B',
        other => other,
    }
}

/// Prose without HTML tags and entities, bullets kept as `•`, white space folded.
pub fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' if !in_tag => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            '●' | '■' | '□' if !in_tag => out.push('•'),
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    // A `<` that never closed was text, not a tag.
    if in_tag {
        return squash(&decode_entities(text));
    }
    squash(&decode_entities(&out))
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// White space folded to single spaces, trimmed.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Letters and digits only, lower case: how titles and table names are compared.
pub fn key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// An identifier as the documents print it, with the spaces the extraction broke it with removed
/// ("number_of_n ode" -> "number_of_node").
pub fn identifier(cell: &str) -> String {
    strip_markup(cell)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '`')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_the_extraction_noise() {
        assert_eq!(
            strip_markup("#### **Table 5-109** ScaleOut"),
            "Table 5-109 ScaleOut"
        );
        assert_eq!(
            strip_markup("POST /v2/{project\\_id}/x"),
            "POST /v2/{project_id}/x"
        );
        assert_eq!(strip_markup("Туре"), "Type");
        assert_eq!(identifier("logical_cluster _name"), "logical_cluster_name");
        assert_eq!(
            prose("<p>Values:</p> <ul><li>● a</li></ul> &lt;x&gt;"),
            "Values: • a <x>"
        );
        assert_eq!(prose("a < b"), "a < b");
        assert_eq!(key("Querying AZs (V2)"), "queryingazsv2");
    }
}
