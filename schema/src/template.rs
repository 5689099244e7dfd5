//! The grammar of path templates, which the validator checks and the mock's router follows: a
//! template is split at `/`, and a segment is a parameter only when it is exactly `{name}`.
//! `/a/{id}.json` therefore has no parameter, and the validator rejects it, since the router
//! would take it for literal text that no request matches.

/// What one segment of a template is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Text a request must have here.
    Literal(&'a str),
    /// `{name}`: any non-empty segment, named `name`.
    Param(&'a str),
    /// A brace that does not make the whole segment a parameter (`{id}.json`, `{a}{b}`): an
    /// error in a spec, literal text to the router.
    Malformed(&'a str),
}

/// The segments of a path or template: split at `/`, without a trailing `/`, so `/a/` and `/a`
/// are the same path.
pub fn segments(path: &str) -> std::str::Split<'_, char> {
    path.trim_end_matches('/').split('/')
}

/// What `segment` is.
pub fn segment(segment: &str) -> Segment<'_> {
    if !segment.contains(['{', '}']) {
        return Segment::Literal(segment);
    }
    match segment
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .filter(|name| !name.contains(['{', '}']))
    {
        Some(name) => Segment::Param(name),
        None => Segment::Malformed(segment),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parameter_is_a_whole_segment() {
        assert_eq!(segment("instances"), Segment::Literal("instances"));
        assert_eq!(segment("{id}"), Segment::Param("id"));
        assert_eq!(segment("{}"), Segment::Param(""));
        for bad in ["{id}.json", "x{id}", "{a}{b}", "{id", "id}", "{{id}}"] {
            assert_eq!(segment(bad), Segment::Malformed(bad), "{bad}");
        }
    }

    #[test]
    fn a_trailing_slash_is_not_a_segment() {
        assert_eq!(segments("/v3/{p}/").collect::<Vec<_>>(), ["", "v3", "{p}"]);
        assert_eq!(
            segments("/v3/{p}").collect::<Vec<_>>(),
            segments("/v3/{p}/").collect::<Vec<_>>()
        );
    }
}
