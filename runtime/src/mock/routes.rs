//! Which operations a request path belongs to.
//!
//! The path templates are split once, when the router is built, and grouped by their number of
//! segments; a request is compared only with templates of its own length, segment by segment,
//! and allocates only for the operations it matches.

use std::collections::HashMap;

/// One segment of a path template.
enum Segment {
    Literal(&'static str),
    /// `{name}`: any non-empty segment.
    Parameter(&'static str),
}

struct Route {
    /// The operation's index in the table.
    index: usize,
    segments: Vec<Segment>,
    /// How many segments are literal: the more, the more specific the route.
    literals: usize,
}

/// An operation whose template matches a path.
pub(crate) struct Match {
    pub index: usize,
    /// The path parameters, decoded.
    pub params: Vec<(String, String)>,
    /// How many template segments are literal (`/instances/detail` beats `/instances/{id}`).
    pub literals: usize,
}

/// The routes of a service's operations.
pub(crate) struct Routes {
    by_length: HashMap<usize, Vec<Route>>,
}

impl Routes {
    /// The routes of `templates`, each at its index.
    pub fn new(templates: impl IntoIterator<Item = &'static str>) -> Routes {
        let mut by_length: HashMap<usize, Vec<Route>> = HashMap::new();
        for (index, template) in templates.into_iter().enumerate() {
            let segments: Vec<Segment> = split(template)
                .map(
                    |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) => Segment::Parameter(name),
                        None => Segment::Literal(s),
                    },
                )
                .collect();
            let literals = segments
                .iter()
                .filter(|s| matches!(s, Segment::Literal(_)))
                .count();
            by_length.entry(segments.len()).or_default().push(Route {
                index,
                segments,
                literals,
            });
        }
        Routes { by_length }
    }

    /// Every route that matches `path`, in table order.
    pub fn matching(&self, path: &str) -> Vec<Match> {
        let actual: Vec<&str> = split(path).collect();
        let Some(routes) = self.by_length.get(&actual.len()) else {
            return Vec::new();
        };
        routes
            .iter()
            .filter(|route| {
                route
                    .segments
                    .iter()
                    .zip(&actual)
                    .all(|(segment, actual)| match segment {
                        Segment::Literal(literal) => literal == actual,
                        Segment::Parameter(_) => !actual.is_empty(),
                    })
            })
            .map(|route| Match {
                index: route.index,
                params: route
                    .segments
                    .iter()
                    .zip(&actual)
                    .filter_map(|(segment, actual)| match segment {
                        Segment::Parameter(name) => Some((
                            name.to_string(),
                            String::from_utf8_lossy(&crate::signing::decode(actual)).into_owned(),
                        )),
                        Segment::Literal(_) => None,
                    })
                    .collect(),
                literals: route.literals,
            })
            .collect()
    }
}

fn split(path: &str) -> std::str::Split<'_, char> {
    path.trim_end_matches('/').split('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_matches_the_templates_of_its_shape_with_parameters_decoded() {
        let routes = Routes::new([
            "/v3/{project_id}/instances",
            "/v3/{project_id}/instances/{instance_id}",
            "/v3/{project_id}/instances/detail",
        ]);
        let found = routes.matching("/v3/p1/instances/a%20b");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].index, 1);
        assert_eq!(
            found[0].params,
            [
                ("project_id".to_string(), "p1".to_string()),
                ("instance_id".to_string(), "a b".to_string())
            ]
        );
        let both: Vec<(usize, usize)> = routes
            .matching("/v3/p1/instances/detail/")
            .iter()
            .map(|m| (m.index, m.literals))
            .collect();
        // The empty segment before the first `/` counts as a literal for every route alike.
        assert_eq!(both, [(1, 3), (2, 4)]);
        assert!(routes.matching("/v3/p1").is_empty());
        assert!(routes.matching("/v3//instances").is_empty());
    }
}
